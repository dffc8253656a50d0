package dev.meridian.proxy.session;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.routing.RouteDecision;

/** A client's validated, routed request for a session. */
public record ClientStartup(long sessionId, StartupMessage startup, StartupOptions options, RouteDecision route) {
    public String user() {
        return startup.user();
    }

    public String database() {
        return startup.database();
    }
}
