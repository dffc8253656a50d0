package dev.meridian.proxy.testing;

import java.nio.file.Path;

/** A server run from local binaries in its own directory of the {@link PgWorkspace}. */
final class LocalPgServer extends PgServer {

    private static final int START_ATTEMPTS = 3;

    private final PgWorkspace workspace;
    private final String name;
    private final Path dir;
    private final PgCtl pgCtl;
    private volatile int port;
    private volatile boolean replica;
    private volatile boolean running;
    private volatile boolean closed;

    private LocalPgServer(PgWorkspace workspace, String name, boolean replica) {
        this.workspace = workspace;
        this.name = name;
        this.replica = replica;
        this.dir = workspace.newServerDir(name);
        this.pgCtl = new PgCtl(workspace, dataDir(), dir.resolve("server.log"));
    }

    static LocalPgServer startPrimary(PgWorkspace workspace, String name) {
        LocalPgServer server = new LocalPgServer(workspace, name, false);
        return server.initialize(() -> {
            workspace.owner().runChecked("cp", "-a", workspace.template().toString(),
                    server.dataDir().toString());
            server.startOnFreePort();
            server.createAppRoleAndDatabase();
        });
    }

    static LocalPgServer startReplica(PgWorkspace workspace, String name, PgServer source) {
        LocalPgServer server = new LocalPgServer(workspace, name, true);
        return server.initialize(() -> {
            server.baseBackupFrom(source);
            server.startOnFreePort();
            Await.until(PgCtl.WAIT, server::isInRecovery,
                    () -> name + " did not come up in recovery\n" + server.logTail());
        });
    }

    /** Registers first so that the shutdown hook covers a half-started server too. */
    private LocalPgServer initialize(Runnable steps) {
        workspace.register(this);
        try {
            steps.run();
            return this;
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void baseBackupFrom(PgServer source) {
        workspace.owner().withEnv("PGPASSWORD", SUPERUSER_PASSWORD).withEnv("PGCONNECT_TIMEOUT", "10")
                .runChecked(workspace.binaries().pgBasebackup().toString(),
                        "-h", source.host(), "-p", Integer.toString(source.port()), "-U", SUPERUSER,
                        "-D", dataDir().toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
    }

    /** Ports come from a bind-and-release probe, so another process may win the race: retry. */
    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = PgWorkspace.freePort();
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
        workspace.writeOwned(dataDir().resolve(PgTemplate.SERVER_CONF),
                PgTemplate.serverConf(port, dir.resolve("sock")));
        ProcessResult result = pgCtl.start();
        if (!result.succeeded()) {
            killNow(); // pg_ctl may give up waiting while the postmaster still runs
            return result;
        }
        running = true;
        // Checks a real SCRAM login over TCP, not just the pid file; the last login error becomes
        // the cause of a timeout, so a broken setup does not fail with a bare "timed out".
        Await.until(PgCtl.WAIT, () -> query("postgres", "SELECT 1") != null,
                () -> name + " does not accept TCP logins on port " + port + "\n" + logTail());
        return result;
    }

    @Override
    public void start() {
        if (running) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessResult result = tryStart();
        if (!result.succeeded()) {
            throw failure("start", result);
        }
    }

    @Override
    public void stop() {
        if (running) {
            ProcessResult result = pgCtl.stopFast();
            if (!result.succeeded()) {
                throw failure("stop", result);
            }
            running = false;
        }
    }

    @Override
    public void kill() {
        if (running) {
            Postmaster.killAndCleanUp(dataDir());
            running = false;
            Postmaster.awaitPortClosed(host(), port, PgCtl.WAIT);
        }
    }

    @Override
    public void promote() {
        if (!replica) {
            throw new IllegalStateException(name + " is not a replica");
        }
        ProcessResult result = pgCtl.promote();
        if (!result.succeeded()) {
            throw failure("promote", result);
        }
        Await.until(PgCtl.WAIT, () -> !isInRecovery(),
                () -> name + " is still in recovery after promote\n" + logTail());
        replica = false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (RuntimeException e) {
            // Cleanup must not stop here; whatever is left is SIGKILLed below.
        } finally {
            killNow();
            workspace.unregister(this);
            PgWorkspace.deleteTree(dir);
        }
    }

    /** SIGKILLs whatever postmaster runs on our data directory; safe in a shutdown hook. */
    void killNow() {
        Postmaster.killAndCleanUp(dataDir());
        running = false;
    }

    @Override
    public String logTail() {
        return pgCtl.logTail();
    }

    private IllegalStateException failure(String action, ProcessResult result) {
        return pgCtl.failure(name + ": " + action + " failed (port " + port + ")", result);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean isReplica() {
        return replica;
    }

    @Override
    public Path dataDir() {
        return dir.resolve("data");
    }
}
