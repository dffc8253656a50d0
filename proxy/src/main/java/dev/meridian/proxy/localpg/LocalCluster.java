package dev.meridian.proxy.localpg;

import java.nio.file.Path;
import java.util.Map;

/**
 * One throwaway PostgreSQL server run from local binaries in its own directory of a
 * {@link PgWorkspace}, on 127.0.0.1 and a free port. The superuser is {@value #SUPERUSER} with
 * the workspace's password; TCP logins require SCRAM-SHA-256. Every method waits for its action
 * to complete ({@code pg_ctl -w}), so callers see the final state.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    public static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private final PgWorkspace workspace;
    private final String name;
    private final Map<String, String> settings;
    private final Path dir;
    private final PgCtl pgCtl;
    private volatile int port;
    private volatile boolean replica;
    private volatile boolean running;
    private volatile boolean closed;

    private LocalCluster(PgWorkspace workspace, String name, boolean replica, Map<String, String> settings) {
        this.workspace = workspace;
        this.name = name;
        this.replica = replica;
        this.settings = Map.copyOf(settings);
        this.dir = workspace.newServerDir(name);
        this.pgCtl = new PgCtl(workspace, dataDir(), dir.resolve("server.log"));
    }

    /**
     * A primary copied from the workspace's template, running; {@code settings} (e.g.
     * {@code cluster_name}) go into its configuration.
     */
    public static LocalCluster startPrimary(PgWorkspace workspace, String name, Map<String, String> settings) {
        LocalCluster server = new LocalCluster(workspace, name, false, settings);
        return server.initialize(() -> {
            workspace.owner().runChecked("cp", "-a", workspace.template().toString(),
                    server.dataDir().toString());
            server.startOnFreePort();
        });
    }

    /** A streaming replica of the server at {@code sourceHost:sourcePort}, running. */
    public static LocalCluster startReplica(PgWorkspace workspace, String name, String sourceHost, int sourcePort) {
        LocalCluster server = new LocalCluster(workspace, name, true, Map.of());
        return server.initialize(() -> {
            server.baseBackupFrom(sourceHost, sourcePort);
            server.startOnFreePort();
        });
    }

    /** Registers first so that the workspace's shutdown hook covers a half-started server too. */
    private LocalCluster initialize(Runnable steps) {
        workspace.register(this);
        try {
            steps.run();
            return this;
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void baseBackupFrom(String sourceHost, int sourcePort) {
        workspace.owner().withEnv("PGPASSWORD", workspace.superuserPassword()).withEnv("PGCONNECT_TIMEOUT", "10")
                .runChecked(workspace.binaries().pgBasebackup().toString(),
                        "-h", sourceHost, "-p", Integer.toString(sourcePort), "-U", SUPERUSER,
                        "-D", dataDir().toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
    }

    /** Ports come from a bind-and-release probe, so another process may win the race: retry. */
    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = Ports.free(HOST);
            ProcessResult result = tryStart();
            if (result.succeeded()) {
                return;
            }
            if (attempt >= START_ATTEMPTS || !logTail().contains("Address already in use")) {
                throw failure("start", result);
            }
        }
    }

    private ProcessResult tryStart() {
        ServerFiles.writeOwned(dataDir().resolve(PgTemplate.SERVER_CONF),
                PgTemplate.serverConf(port, dir.resolve("sock"), settings));
        ProcessResult result = pgCtl.start();
        if (!result.succeeded()) {
            killNow(); // pg_ctl may give up waiting while the postmaster still runs
            return result;
        }
        running = true;
        return result;
    }

    /** Starts a stopped or killed server on the same port and data. */
    public void start() {
        if (running) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessResult result = tryStart();
        if (!result.succeeded()) {
            throw failure("start", result);
        }
    }

    /** Fast shutdown: aborts open transactions, disconnects clients, checkpoints. */
    public void stop() {
        if (running) {
            ProcessResult result = pgCtl.stopFast();
            if (!result.succeeded()) {
                throw failure("stop", result);
            }
            running = false;
        }
    }

    /** SIGKILLs the postmaster, like a crash; returns once the port no longer accepts TCP. */
    public void kill() {
        if (running) {
            killNow();
            Postmaster.awaitPortClosed(HOST, port, PgCtl.WAIT);
        }
    }

    /** Ends recovery; {@code pg_ctl promote -w} returns once the server accepts writes. */
    public void promote() {
        if (!replica) {
            throw new IllegalStateException(name + " is not a replica");
        }
        ProcessResult result = pgCtl.promote();
        if (!result.succeeded()) {
            throw failure("promote", result);
        }
        replica = false;
    }

    /** Runs SQL statements as the superuser through {@code psql}; returns their unaligned output. */
    public String execute(String database, String... statements) {
        return Psql.execute(workspace.binaries(), HOST, port, SUPERUSER, workspace.superuserPassword(),
                database, statements);
    }

    /** Stops the server (killing it if a clean stop fails) and deletes its files; once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (RuntimeException e) {
            // Cleanup must not stop here; whatever is left is SIGKILLed below.
        } finally {
            workspace.release(this, dir);
        }
    }

    /** SIGKILLs whatever postmaster runs on our data directory; safe in a shutdown hook. */
    void killNow() {
        Postmaster.killAndCleanUp(dataDir());
        running = false;
    }

    /** Whether anything accepts TCP connections on this server's port right now. */
    public boolean acceptsConnections() {
        return Ports.isOpen(HOST, port);
    }

    /** The last lines of the server's log, for failure messages. */
    public String logTail() {
        return pgCtl.logTail();
    }

    private IllegalStateException failure(String action, ProcessResult result) {
        return pgCtl.failure(name + ": " + action + " failed (port " + port + ")", result);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean isReplica() {
        return replica;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }
}
