package dev.meridian.proxy.server.admin;

import dev.meridian.proxy.session.ProxyContext;

/**
 * {@code /ready}: 200 while this instance should get new clients (at least one backend is up
 * and it is not draining), else 503 with the reason, so that a platform's HTTP check (Fly's
 * {@code http_service.checks}, a Kubernetes readiness probe) takes it out of rotation.
 * {@code /health} stays 200 meanwhile: the process is alive and must not be restarted for a
 * database's outage.
 */
public final class ReadyRoute implements AdminRoute {
    private final ProxyContext proxy;

    public ReadyRoute(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        if (proxy.draining()) {
            return AdminResponse.text(503, "not ready: draining\n");
        }
        if (!proxy.healthMonitor().current().anyUp()) {
            return AdminResponse.text(503, "not ready: no backend is up\n");
        }
        return AdminResponse.text(200, "ready\n");
    }
}
