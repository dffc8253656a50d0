package dev.meridian.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a reload cannot change in a running process is said, not silently ignored. */
class ConfigReloaderTest {
    private static MeridianConfig config(String instance, String peers) {
        return ConfigLoader.parse("""
                region: iad
                auth: { method: trust }
                backends: [ { name: iad-1, region: iad, host: 127.0.0.1 } ]
                databases: { "*": {} }
                cluster: { instance: %s, peers: %s }
                """.formatted(instance, peers), Map.of(), Path.of("."));
    }

    @Test
    void aNewInstanceIdWaitsForARestartButNewPeersDoNot() {
        assertThat(ConfigReloader.restartOnlyChanges(config("m1", "[]"), config("m2", "[]")))
                .containsExactly("cluster.instance: changed; cancel keys name the old id until a restart");
        assertThat(ConfigReloader.restartOnlyChanges(config("m1", "[]"),
                config("m1", "[ { instance: m2, host: 10.0.0.2 } ]"))).isEmpty();
    }
}
