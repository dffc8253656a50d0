package dev.meridian.proxy.testing;

import dev.meridian.proxy.localpg.PgBinaries;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Chooses how servers run on this machine: local binaries, else Docker, else a clear failure. */
interface PgServerFactory {

    PgServer primary(String name);

    PgServer replica(String name, PgServer source);

    static PgServerFactory detect() {
        return detect(PgBinaries.find(), ContainerPgServer::isDockerAvailable);
    }

    /** Docker is probed only without binaries: the probe is slow and loads Testcontainers. */
    static PgServerFactory detect(Optional<PgBinaries> binaries, BooleanSupplier dockerAvailable) {
        if (binaries.isPresent()) {
            return new PgServerFactory() {
                @Override
                public PgServer primary(String name) {
                    return LocalPgServer.startPrimary(SharedWorkspace.get(binaries.get()), name);
                }

                @Override
                public PgServer replica(String name, PgServer source) {
                    return LocalPgServer.startReplica(SharedWorkspace.get(binaries.get()), name, source);
                }
            };
        }
        if (dockerAvailable.getAsBoolean()) {
            return new PgServerFactory() {
                @Override
                public PgServer primary(String name) {
                    return ContainerPgServer.startPrimary(name);
                }

                @Override
                public PgServer replica(String name, PgServer source) {
                    throw ContainerPgServer.needsLocalBinaries("replica '" + name + "'");
                }
            };
        }
        // Failing, not skipping: a silently skipped integration suite looks exactly like a green one.
        throw new IllegalStateException("Integration tests need PostgreSQL, but there are neither "
                + "local server binaries nor a Docker engine on this machine. " + PgBinaries.INSTALL_HINT);
    }
}
