package dev.meridian.proxy.backend;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import org.junit.jupiter.api.Test;

/** A cleartext password goes only over TLS, unless the backend allows it. */
class CleartextFloorTest {
    private static BackendConfig backend(boolean allowCleartext) {
        return new BackendConfig("iad-1", "iad", "127.0.0.1", 5432, BackendRole.AUTO, "app", "secret",
                BackendTls.DEFAULT, allowCleartext);
    }

    @Test
    void withoutTlsThePasswordIsNotSentAndTheRefusalNamesBackendAndKey() {
        assertThatThrownBy(() -> CleartextFloor.check(backend(false), false))
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.unreachable()).isFalse();
                    assertThat(e.serverError().sqlState()).isEqualTo("28000");
                    assertThat(e.serverError().severity()).isEqualTo("FATAL");
                    assertThat(e.getMessage()).contains("backend iad-1").contains("allow_cleartext: true")
                            .doesNotContain("secret");
                });
    }

    @Test
    void overTlsOrWhenAllowedItIsSent() {
        assertThatCode(() -> CleartextFloor.check(backend(false), true)).doesNotThrowAnyException();
        assertThatCode(() -> CleartextFloor.check(backend(true), false)).doesNotThrowAnyException();
    }
}
