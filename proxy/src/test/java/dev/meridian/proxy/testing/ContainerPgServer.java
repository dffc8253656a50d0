package dev.meridian.proxy.testing;

import dev.meridian.proxy.localpg.PgBinaries;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Fallback for machines without local binaries but with Docker: a primary in a container.
 * Crash and restart control ({@link #kill()}, {@link #stop()}, {@link #start()}) and replicas are
 * not offered here: a restarted container gets a new host port, which would silently break the
 * "same server, same address" contract that failover tests rely on.
 */
final class ContainerPgServer extends PgServer {

    /** Matches the major version CI installs locally; override with -Dmeridian.pg.image. */
    static final String IMAGE = System.getProperty("meridian.pg.image", "postgres:15-alpine");

    private final String name;
    private final PostgreSQLContainer container;

    private ContainerPgServer(String name, PostgreSQLContainer container) {
        this.name = name;
        this.container = container;
    }

    static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static ContainerPgServer startPrimary(String name) {
        PostgreSQLContainer container = new PostgreSQLContainer(
                DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"))
                .withUsername(SUPERUSER)
                .withPassword(SUPERUSER_PASSWORD)
                .withDatabaseName("postgres");
        container.withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=300",
                "-c", "shared_buffers=32MB", "-c", "password_encryption=scram-sha-256");
        container.start();
        ContainerPgServer server = new ContainerPgServer(name, container);
        try {
            server.createAppRoleAndDatabase();
            return server;
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    static UnsupportedOperationException needsLocalBinaries(String what) {
        return new UnsupportedOperationException(what + " needs local PostgreSQL binaries; this "
                + "machine has none, so servers run in Docker. " + PgBinaries.INSTALL_HINT);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public boolean isReplica() {
        return false;
    }

    @Override
    public Path dataDir() {
        throw needsLocalBinaries("dataDir()");
    }

    @Override
    public void kill() {
        throw needsLocalBinaries("kill()");
    }

    @Override
    public void stop() {
        throw needsLocalBinaries("stop()");
    }

    @Override
    public void start() {
        throw needsLocalBinaries("start()");
    }

    @Override
    public void promote() {
        throw needsLocalBinaries("promote()");
    }

    @Override
    public String logTail() {
        return lastLines(container.getLogs());
    }

    @Override
    public void close() {
        container.stop();
    }
}
