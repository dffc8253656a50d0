package dev.meridian.proxy.ops;

/**
 * The operator's view kept beside the sessions: SHOW STATS counters, the recent route
 * decisions of the status page, and the server-wide controls of the admin console (set where the
 * server is built; absent in a context without a server).
 */
public final class Ops {
    private final SessionStats stats = new SessionStats();
    private final RouteLog routes = new RouteLog();
    private final PoolColumns poolColumns = new PoolColumns();
    private volatile ServerControl control;

    public SessionStats stats() {
        return stats;
    }

    public RouteLog routes() {
        return routes;
    }

    /** SHOW POOLS's columns: a pooling mode plugs its own in here. */
    public PoolColumns poolColumns() {
        return poolColumns;
    }

    /** The server's controls, or null before the server wires them. */
    public ServerControl control() {
        return control;
    }

    public void control(ServerControl control) {
        this.control = control;
    }
}
