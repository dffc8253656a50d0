package dev.meridian.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.localpg.PgBinaries;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the harness behaves on machines that lack local binaries; nothing is started. */
class PgServerFactoryTest {

    @Test
    void failsWithInstallInstructionsWhenThereIsNoPostgresAtAll() {
        assertThatThrownBy(() -> PgServerFactory.detect(Optional.empty(), () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither local server binaries nor a Docker engine")
                .hasMessageContaining("apt-get install -y postgresql");
    }

    @Test
    void withOnlyDockerReplicasAreRefusedClearly() {
        PgServerFactory docker = PgServerFactory.detect(Optional.empty(), () -> true);

        assertThatThrownBy(() -> docker.replica("iad-replica", null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("replica 'iad-replica' needs local PostgreSQL binaries")
                .hasMessageContaining("apt-get install -y postgresql");
    }

    @Test
    void dockerIsNotProbedWhenBinariesExist() {
        PgBinaries binaries = new PgBinaries(Path.of("/opt/pg/bin"));
        PgServerFactory local = PgServerFactory.detect(Optional.of(binaries), () -> {
            throw new AssertionError("probed Docker although binaries exist");
        });

        assertThat(local).isNotNull();
    }
}
