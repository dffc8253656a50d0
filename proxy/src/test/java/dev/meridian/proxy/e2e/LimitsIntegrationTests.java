package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/** {@code limits.max_client_connections}: one client too many gets 53300, the others go on. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    @Test
    void theClientPastTheLimitIsRefusedWith53300AndAFreedSlotIsReused() throws Exception {
        try (ProxyFixture proxy = OneRegion.start(PG, "limits: { max_client_connections: 2 }")) {
            try (Connection a = proxy.connect("postgres", "postgres", null);
                 Connection b = proxy.connect("postgres", "postgres", null)) {
                assertThatThrownBy(() -> proxy.connect("postgres", "postgres", null).close())
                        .isInstanceOfSatisfying(PSQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("53300");
                            assertThat(e.getMessage()).contains("too many clients");
                        });
                assertThat(a.isValid(5)).isTrue();
                assertThat(b.isValid(5)).isTrue();
            }
            // Slots free up when clients leave (the count drops as the sockets close).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (proxy.server().context().openClients() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (Connection c = proxy.connect("postgres", "postgres", null)) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }
}
