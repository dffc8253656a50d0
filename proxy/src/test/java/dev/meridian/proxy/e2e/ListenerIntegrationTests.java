package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.server.MeridianServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The listening side: with epoll every event loop accepts on a socket of its own (SO_REUSEPORT),
 * which must neither lose connections nor let a second proxy share the port unnoticed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    @Test
    void everyNewConnectionIsServedWhicheverLoopAcceptsIt() throws Exception {
        try (ProxyFixture proxy = OneRegion.start(PG)) {
            for (int i = 0; i < 40; i++) {
                try (Connection c = proxy.connect("postgres", "postgres", null);
                     ResultSet rs = c.createStatement().executeQuery("select " + i)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void aSecondProxyOnTheSamePortIsRefusedAndTheFirstKeepsServing() throws Exception {
        try (ProxyFixture first = OneRegion.start(PG)) {
            var vars = OneRegion.env(PG, Map.of());
            vars.put("PROXY_PORT", Integer.toString(first.port()));
            vars.put("ADMIN_PORT", Integer.toString(ProxyFixture.freePort()));
            MeridianServer second = new MeridianServer(ConfigLoader.parse(OneRegion.yaml(), vars, Path.of(".")));
            try {
                assertThatThrownBy(second::start).hasMessageContaining("127.0.0.1:" + first.port() + " is already in use");
            } finally {
                second.close();
            }
            for (int i = 0; i < 10; i++) {
                try (Connection c = first.connect("postgres", "postgres", null)) {
                    assertThat(c.isValid(5)).isTrue();
                }
            }
        }
    }
}
