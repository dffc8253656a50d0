package dev.meridian.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Turns the YAML tree into a {@link MeridianConfig}. Sections are bound in dependency order
 * (regions before anything naming a region, backends before the rules that need one), each
 * reporting into the shared {@link LoadContext}; the config is only built when nothing was wrong.
 */
final class ConfigBinder {

    private static final String[] KEYS = {
        "listen", "admin", "region", "tls", "regions", "backends", "databases", "geo", "auth",
        "health", "pool", "limits", "cluster", "edge"
    };

    private ConfigBinder() {}

    static MeridianConfig bind(JsonNode root, LoadContext context) {
        if (root == null || root.isNull()) {
            throw new ConfigException("the configuration is empty");
        }
        if (!root.isObject()) {
            throw new ConfigException("the configuration must be a YAML map of settings ("
                    + String.join(", ", KEYS) + "), not "
                    + (root.isArray() ? "a list" : "a single value"));
        }
        Fields top = Fields.of(new Node(root, KeyPath.ROOT, context), KEYS);
        ListenConfig listen = ServerBinder.listen(top.node("listen"));
        AdminConfig admin = ServerBinder.admin(top.node("admin"), listen);
        TlsConfig tls = ServerBinder.tls(top.node("tls"));
        RegionBinder regions = new RegionBinder(top.node("regions"));
        String region = regions.localRegion(top);
        BackendBinder backends = new BackendBinder(top.node("backends"), regions);
        List<DatabaseRule> databases =
                DatabaseBinder.bind(top.node("databases"), regions, backends);
        GeoConfig geo = GeoBinder.bind(top.node("geo"), regions);
        AuthConfig auth = TuningBinder.auth(top.node("auth"));
        HealthConfig health = TuningBinder.health(top.node("health"));
        PoolConfig pool = TuningBinder.pool(top.node("pool"));
        LimitsConfig limits = TuningBinder.limits(top.node("limits"));
        ClusterConfig cluster = ClusterBinder.bind(top.node("cluster"), listen);
        EdgeConfig edge = EdgeBinder.bind(top.node("edge"), listen, admin);
        if (!context.problems().isEmpty()) {
            throw new ConfigException(context.problems());
        }
        return new MeridianConfig(listen, admin, region, tls, regions.regions(),
                backends.backends(), databases, geo, auth, health, pool, limits, cluster, edge);
    }
}
