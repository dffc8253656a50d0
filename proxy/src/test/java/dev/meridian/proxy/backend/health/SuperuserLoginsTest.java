package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a backend's configured login is a superuser, as its login's is_superuser says. */
class SuperuserLoginsTest {
    private static final BackendConfig WITH_USER = new BackendConfig("iad-1", "iad", "h", 5432, BackendRole.AUTO,
            "postgres", "p", BackendTls.DEFAULT);
    private static final BackendConfig PASSTHROUGH = new BackendConfig("iad-2", "iad", "h", 5432, BackendRole.AUTO,
            null, null, BackendTls.DEFAULT);

    private static Boolean reported(ParameterStatus... parameters) {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            return HealthProbe.superuser(new BackendConnection(ch, WITH_USER, List.of(parameters), null, List.of(),
                    ReadyForQuery.IDLE));
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void theLoginsParameterStatusSays() {
        assertThat(reported(new ParameterStatus("is_superuser", "on"))).isTrue();
        assertThat(reported(new ParameterStatus("server_version", "17"), new ParameterStatus("is_superuser", "off")))
                .isFalse();
        assertThat(reported()).isNull();
    }

    @Test
    void onlyBackendsWithAUserOfTheirOwnAreJudged() {
        SuperuserLogins logins = new SuperuserLogins();
        logins.observe(WITH_USER, true);
        logins.observe(PASSTHROUGH, true);
        assertThat(logins.describe("iad-1")).isEqualTo("yes");
        assertThat(logins.isSuperuser("iad-1")).isTrue();
        assertThat(logins.describe("iad-2")).isEmpty();
        logins.observe(WITH_USER, false);
        assertThat(logins.describe("iad-1")).isEqualTo("no");
        logins.observe(WITH_USER, null);
        assertThat(logins.describe("iad-1")).isEqualTo("no");
    }
}
