package dev.meridian.proxy.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.proxy.backend.health.BackendStatus;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.Coordinates;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.ops.RouteLog;
import dev.meridian.proxy.session.ProxyContext;
import dev.meridian.proxy.session.SessionRegistry;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /status.json}, what the status page draws: this instance, the regions on its map
 * (those of its backends, its own, and the client regions of recent routes, with their lat/lon),
 * each backend's role, health, RTT and pool use, each database rule, and the recent route
 * decisions ({@link RouteLog}: no user names, no client addresses).
 */
final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    static String render(ProxyContext proxy) {
        MeridianConfig c = proxy.config();
        ObjectNode root = JSON.createObjectNode();
        root.put("instance", c.cluster().instance());
        root.put("region", c.region());
        root.put("draining", proxy.draining());
        root.put("generated_at", Instant.now().toString());
        var sessions = proxy.sessions().list();
        long active = sessions.stream().filter(e -> e.state() == SessionRegistry.State.ACTIVE).count();
        root.put("sessions_active", active);
        root.put("sessions_waiting", sessions.size() - active);
        Set<String> regions = new TreeSet<>();
        regions.add(c.region());
        ArrayNode backends = root.putArray("backends");
        for (BackendStatus s : proxy.healthMonitor().current().statuses()) {
            regions.add(s.region());
            backend(backends.addObject(), s, proxy, c.pool().maxPerBackend());
        }
        ArrayNode databases = root.putArray("databases");
        c.databases().forEach(r -> database(databases.addObject(), r, proxy));
        ArrayNode routes = root.putArray("recent_routes");
        for (RouteLog.Event e : proxy.ops().routes().recent()) {
            route(routes.addObject(), e);
            if (e.clientRegion() != null) {
                regions.add(e.clientRegion());
            }
        }
        root.put("routes_logged", proxy.ops().routes().count());
        ArrayNode map = root.putArray("regions");
        for (String code : regions) {
            Coordinates at = c.regions().get(code);
            if (at != null) {
                map.addObject().put("code", code).put("lat", at.lat()).put("lon", at.lon());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void backend(ObjectNode n, BackendStatus s, ProxyContext proxy, int max) {
        n.put("name", s.name());
        n.put("region", s.region());
        n.put("role", s.health().role() == BackendRole.AUTO ? "unknown" : lower(s.health().role()));
        n.put("up", s.up());
        n.put("state", s.state().label());
        if (s.health().rtt() == null || !s.up()) {
            n.putNull("rtt_ms");
        } else {
            n.put("rtt_ms", Math.round(s.health().rtt().toNanos() / 1e4) / 100.0);
        }
        n.put("since", s.since().toString());
        n.put("reason", s.reason());
        n.put("pool_active", proxy.pool().activeCount(s.name()).getAsInt());
        n.put("pool_idle", proxy.pool().idleCount(s.name()).getAsInt());
        n.put("pool_max", max);
    }

    private static void database(ObjectNode n, DatabaseRule r, ProxyContext proxy) {
        n.put("pattern", r.pattern());
        ArrayNode regions = n.putArray("regions");
        r.regions().forEach(regions::add);
        n.put("prefer", r.prefer().toString());
        n.put("paused", proxy.pauses().isPaused(r.pattern(), r.pattern()));
    }

    private static void route(ObjectNode n, RouteLog.Event e) {
        n.put("at", e.at().toString());
        n.put("database", e.database());
        n.put("client_region", e.clientRegion());
        n.put("backend", e.backend());
        n.put("backend_region", e.backendRegion());
        n.put("reason", e.reason());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
