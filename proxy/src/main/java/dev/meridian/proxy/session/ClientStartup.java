package dev.meridian.proxy.session;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.routing.RouteDecision;

/**
 * A client's validated, routed request for a session; {@code route} is null for the admin
 * console, which has no backend.
 */
public record ClientStartup(long sessionId, StartupMessage startup, StartupOptions options, RouteDecision route) {
    public boolean console() {
        return route == null;
    }

    public String user() {
        return startup.user();
    }

    public String database() {
        return startup.database();
    }
}
