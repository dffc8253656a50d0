package dev.meridian.proxy.testing;

import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.localpg.LocalCluster;
import dev.meridian.proxy.localpg.PgWorkspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A server run from local binaries ({@link LocalCluster}), plus what tests expect on top: a
 * checked TCP login after every start and, on primaries, the {@value #APP_USER} role and database.
 */
final class LocalPgServer extends PgServer {

    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final LocalCluster cluster;

    private LocalPgServer(LocalCluster cluster) {
        this.cluster = cluster;
    }

    static LocalPgServer startPrimary(PgWorkspace workspace, String name) {
        return ready(LocalCluster.startPrimary(workspace, name, Map.of()), PgServer::createAppRoleAndDatabase);
    }

    static LocalPgServer startReplica(PgWorkspace workspace, String name, PgServer source) {
        return ready(LocalCluster.startReplica(workspace, name, source.host(), source.port()),
                server -> Await.until(READY_WAIT, server::isInRecovery,
                        () -> name + " did not come up in recovery\n" + server.logTail()));
    }

    /** Finishes the setup of a started cluster; closes it if that fails. */
    private static LocalPgServer ready(LocalCluster cluster, Consumer<LocalPgServer> setup) {
        LocalPgServer server = new LocalPgServer(cluster);
        try {
            server.awaitTcpLogin();
            setup.accept(server);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /**
     * Checks a real SCRAM login over TCP, not just the pid file pg_ctl waits for; the last login
     * error becomes the cause of a timeout, so a broken setup does not fail with a bare "timed out".
     */
    private void awaitTcpLogin() {
        Await.until(READY_WAIT, () -> query("postgres", "SELECT 1") != null,
                () -> name() + " does not accept TCP logins on port " + port() + "\n" + logTail());
    }

    @Override
    public void start() {
        cluster.start();
        awaitTcpLogin();
    }

    @Override
    public void stop() {
        cluster.stop();
    }

    @Override
    public void kill() {
        cluster.kill();
    }

    @Override
    public void promote() {
        cluster.promote();
        Await.until(READY_WAIT, () -> !isInRecovery(),
                () -> name() + " is still in recovery after promote\n" + logTail());
    }

    @Override
    public void close() {
        cluster.close();
    }

    @Override
    public String logTail() {
        return cluster.logTail();
    }

    @Override
    public String name() {
        return cluster.name();
    }

    @Override
    public String host() {
        return LocalCluster.HOST;
    }

    @Override
    public int port() {
        return cluster.port();
    }

    @Override
    public boolean isReplica() {
        return cluster.isReplica();
    }

    @Override
    public Path dataDir() {
        return cluster.dataDir();
    }
}
