package dev.meridian.proxy.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Where the demo's proxy listens: its PostgreSQL port and its admin HTTP port, on 127.0.0.1. */
public record DemoPorts(int proxy, int admin) {

    public static final int DEFAULT_PROXY = 6432;
    public static final int DEFAULT_ADMIN = 9187;

    public DemoPorts {
        if (proxy == admin) {
            throw new DemoException("--port and --admin-port must differ (both are " + proxy + ")");
        }
    }

    /**
     * Fails with advice when a port is taken, before any server starts: a demo that spends
     * seconds on initdb and then cannot bind would be a poor first impression.
     */
    void requireFree() {
        requireFree(proxy, "--port");
        requireFree(admin, "--admin-port");
    }

    private static void requireFree(int port, String option) {
        try (ServerSocket probe = new ServerSocket()) {
            // Like the proxy's own listener: a port whose old connections linger in TIME_WAIT is free.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(DemoConfig.HOST), port), 1);
        } catch (IOException e) {
            throw new DemoException(DemoConfig.HOST + ":" + port + " is already in use (another meridian"
                    + " demo, or a local PgBouncer?); choose a free port with " + option + "=PORT");
        }
    }
}
