package dev.meridian.proxy.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.proxy.backend.health.BackendStatus;
import dev.meridian.proxy.backend.health.ConnectionBudget;
import dev.meridian.proxy.backend.health.HealthReport;
import dev.meridian.proxy.backend.health.SuperuserLogins;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.Preference;
import dev.meridian.proxy.session.ProxyContext;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code /routes}: what this instance would do right now, as JSON. Every backend with its
 * region, role (as followed: {@code unknown} until an {@code auto} backend is first asked),
 * health and smoothed health-check RTT; every database rule with the regions it may be served
 * from and whether a backend there is up. No credentials, and no host fields (a down
 * backend's {@code reason} may quote its address, as the connect error did).
 */
public final class RoutesRoute implements AdminRoute {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProxyContext proxy;

    public RoutesRoute(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return AdminResponse.json(200, render(proxy.config(), proxy.healthMonitor().current(), proxy.draining(),
                proxy.healthMonitor().superusers()));
    }

    static String render(MeridianConfig config, HealthReport health, boolean draining) {
        return render(config, health, draining, new SuperuserLogins());
    }

    /** {@code superusers}: a backend whose configured user is a superuser says {@code "login_superuser": true}. */
    static String render(MeridianConfig config, HealthReport health, boolean draining, SuperuserLogins superusers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("region", config.region());
        root.put("draining", draining);
        ArrayNode backends = root.putArray("backends");
        health.statuses().forEach(s -> {
            ObjectNode node = backends.addObject();
            backend(node, s, health.stalePrimary(s.name()));
            String superuser = superusers.describe(s.name());
            if (superuser.isEmpty()) {
                node.putNull("login_superuser");
            } else {
                node.put("login_superuser", superuser.equals("yes"));
            }
            if (s.facts() != null && s.facts().maxConnections() != null) {
                node.put("max_connections", s.facts().maxConnections());
            }
            node.put("connection_budget_warning",
                    ConnectionBudget.warning(s.backend(), s.facts(), config).orElse(null));
        });
        ArrayNode databases = root.putArray("databases");
        config.databases().forEach(rule -> database(databases.addObject(), rule, config.backends(), health));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void backend(ObjectNode node, BackendStatus s, boolean stalePrimary) {
        node.put("name", s.name());
        node.put("region", s.region());
        node.put("role", role(s.health().role()));
        node.put("configured_role", s.backend().role().name().toLowerCase(Locale.ROOT));
        node.put("up", s.up());
        node.put("state", s.state().label());
        if (s.health().rtt() == null) {
            node.putNull("rtt_seconds");
        } else {
            node.put("rtt_seconds", s.health().rtt().toNanos() / 1e9);
        }
        node.put("since", s.since().toString());
        node.put("reason", s.reason());
        node.put("stale_primary", stalePrimary);
    }

    /** A rule without regions may use every backend's region: those are listed, sorted. */
    private static void database(ObjectNode node, DatabaseRule rule, List<BackendConfig> backends, HealthReport health) {
        node.put("pattern", rule.pattern());
        List<String> regions = rule.regions().isEmpty()
                ? backends.stream().map(BackendConfig::region).distinct().sorted().toList()
                : rule.regions();
        node.put("restricted", !rule.regions().isEmpty());
        ArrayNode list = node.putArray("regions");
        regions.forEach(list::add);
        node.put("prefer", rule.prefer().kind() == Preference.Kind.REGION ? rule.prefer().region()
                : rule.prefer().kind().name().toLowerCase(Locale.ROOT));
        node.put("backend_database", rule.backendDatabase());
        node.put("replication", rule.replication());
        node.put("available", backends.stream()
                .anyMatch(b -> regions.contains(b.region()) && health.health(b.name()).up()));
    }

    private static String role(BackendRole role) {
        return role == BackendRole.AUTO ? "unknown" : role.name().toLowerCase(Locale.ROOT);
    }
}
