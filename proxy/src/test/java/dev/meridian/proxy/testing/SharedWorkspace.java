package dev.meridian.proxy.testing;

import dev.meridian.proxy.localpg.PgBinaries;
import dev.meridian.proxy.localpg.PgWorkspace;

/**
 * The one workspace of a test JVM: every test class copies its servers from the same initdb
 * template. Never closed explicitly; its shutdown hook removes it when the JVM exits.
 */
final class SharedWorkspace {

    private static PgWorkspace instance;

    private SharedWorkspace() {
    }

    static synchronized PgWorkspace get(PgBinaries binaries) {
        if (instance == null) {
            instance = PgWorkspace.create(binaries, PgServer.SUPERUSER_PASSWORD);
        }
        return instance;
    }
}
