package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal handlers are in place before the port accepts anyone: a SIGHUP sent the moment the
 * proxy listens reloads it, where the JVM's own handling of HUP would end the process.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HangupAtStartIntegrationTests {

    @Test
    void aHangupAsSoonAsThePortOpensReloadsInsteadOfEndingTheProcess(@TempDir Path dir) throws Exception {
        int port = ProxyFixture.freePort();
        Path file = dir.resolve("meridian.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1, port: %d }
                admin: { host: 127.0.0.1, port: %d }
                region: iad
                auth: { method: trust }
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: 1 }
                databases:
                  "*": { regions: [iad] }
                """.formatted(port, ProxyFixture.freePort()));
        try (ProxyProcess proxy = ProxyProcess.start(file, port, "run", "-c", file.toString())) {
            proxy.signal("HUP");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!proxy.log().contains("configuration reloaded") && System.nanoTime() < deadline) {
                assertThat(proxy.process().isAlive()).as("the proxy ended on SIGHUP:\n%s", proxy.log()).isTrue();
                Thread.sleep(20);
            }
            assertThat(proxy.log()).contains("configuration reloaded");
            assertThat(proxy.process().isAlive()).isTrue();
        }
    }
}
