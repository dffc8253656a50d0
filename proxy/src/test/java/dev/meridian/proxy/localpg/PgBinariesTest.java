package dev.meridian.proxy.localpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bin-dir lookup order, against fake installations in a temp directory. */
class PgBinariesTest {

    private static final Supplier<Optional<Path>> NO_PG_CONFIG = Optional::empty;

    @TempDir
    Path tmp;

    @Test
    void prefersPgConfigBindirWhenItHoldsTheServer() throws IOException {
        Path fromPgConfig = fakeServer(tmp.resolve("pgconfig/bin"));
        Path onPath = fakeServer(tmp.resolve("path/bin"));

        assertThat(locate(() -> Optional.of(fromPgConfig), onPath.toString())).contains(fromPgConfig);
    }

    @Test
    void skipsAClientOnlyPgConfigBindir() throws IOException {
        Path clientOnly = fake(tmp.resolve("libpq-dev/bin"), "psql", "pg_config");
        Path onPath = fakeServer(tmp.resolve("path/bin"));

        assertThat(locate(() -> Optional.of(clientOnly), onPath.toString())).contains(onPath);
    }

    @Test
    void resolvesASymlinkedInitdbOnPathToTheRealBinDir() throws IOException {
        Path real = fakeServer(tmp.resolve("usr/lib/postgresql/15/bin"));
        Path localBin = Files.createDirectories(tmp.resolve("usr/local/bin"));
        Files.createSymbolicLink(localBin.resolve("initdb"), real.resolve("initdb"));

        assertThat(locate(NO_PG_CONFIG, "/nonexistent:" + localBin)).contains(real.toRealPath());
    }

    @Test
    void ignoresAnInitdbOnPathWithoutTheServerBesideIt() throws IOException {
        Path wrapperOnly = fake(tmp.resolve("bin"), "initdb");

        assertThat(locate(NO_PG_CONFIG, wrapperOnly.toString())).isEmpty();
    }

    @Test
    void fallsBackToTheHighestCompleteVersionComparedNumerically() throws IOException {
        Path versions = tmp.resolve("usr/lib/postgresql");
        fakeServer(versions.resolve("9.6/bin"));
        Path ten = fakeServer(versions.resolve("10/bin"));
        fake(versions.resolve("16/bin"), "psql"); // client only: not a candidate
        Files.createDirectories(versions.resolve("not-a-version/bin"));

        assertThat(PgBinaries.locate(null, NO_PG_CONFIG, null, versions).map(PgBinaries::binDir))
                .contains(ten);
    }

    @Test
    void findsNothingOnABareMachine() {
        assertThat(PgBinaries.locate(null, NO_PG_CONFIG, "", tmp.resolve("missing"))).isEmpty();
    }

    @Test
    void anExplicitOverrideWinsAndMustBeValid() throws IOException {
        Path override = fakeServer(tmp.resolve("custom/bin"));
        Path onPath = fakeServer(tmp.resolve("path/bin"));

        assertThat(PgBinaries.locate(override.toString(), NO_PG_CONFIG, onPath.toString(), tmp)
                .map(PgBinaries::binDir)).contains(override);
        assertThatThrownBy(() -> PgBinaries.locate(tmp.toString(), NO_PG_CONFIG, onPath.toString(), tmp))
                .hasMessageContaining(PgBinaries.BINDIR_ENV);
    }

    @Test
    void aMissingToolFailsWithInstallInstructions() throws IOException {
        PgBinaries binaries = new PgBinaries(fakeServer(tmp.resolve("bin")));

        assertThat(binaries.pgCtl()).isEqualTo(tmp.resolve("bin/pg_ctl"));
        assertThatThrownBy(binaries::pgbench)
                .hasMessageContaining("pgbench not found")
                .hasMessageContaining("apt-get install -y postgresql");
    }

    private Optional<Path> locate(Supplier<Optional<Path>> pgConfig, String path) {
        return PgBinaries.locate(null, pgConfig, path, tmp.resolve("no-versions")).map(PgBinaries::binDir);
    }

    private static Path fakeServer(Path dir) throws IOException {
        return fake(dir, "initdb", "postgres", "pg_ctl");
    }

    private static Path fake(Path dir, String... tools) throws IOException {
        Files.createDirectories(dir);
        for (String tool : tools) {
            Files.writeString(dir.resolve(tool), "#!/bin/sh\n");
            Files.setPosixFilePermissions(dir.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }
}
