package dev.meridian.proxy.e2e;

import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape most end-to-end tests need: a proxy on free ports in front of one real PostgreSQL
 * (the extension's {@code iad} server), one backend {@code iad-1} logging in as the superuser,
 * every database routed there, trust authentication; a test adds or replaces sections.
 */
final class OneRegion {
    private OneRegion() {
    }

    /**
     * The configuration, with {@code sections} (top-level YAML such as {@code limits: {...}} or a
     * multi-line {@code auth:} block) added; a section whose key is one of the defaults
     * ({@code listen}, {@code admin}, {@code region}, {@code backends}, {@code databases},
     * {@code auth}: trust) replaces it.
     */
    static String yaml(String... sections) {
        Map<String, String> yaml = new LinkedHashMap<>();
        yaml.put("listen", "listen: { host: 127.0.0.1, port: \"${PROXY_PORT}\" }");
        yaml.put("admin", "admin: { host: 127.0.0.1, port: \"${ADMIN_PORT}\" }");
        yaml.put("region", "region: iad");
        yaml.put("auth", "auth: { method: trust }");
        yaml.put("backends", """
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }""");
        yaml.put("databases", """
                databases:
                  "*": { regions: [iad] }""");
        for (String section : sections) {
            String text = section.strip();
            yaml.put(text.substring(0, text.indexOf(':')), text);
        }
        return String.join("\n", yaml.values()) + "\n";
    }

    /** The variables {@link #yaml} refers to, plus {@code more}. */
    static Map<String, String> env(PostgresExtension pg, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("IAD_PORT", Integer.toString(pg.server("iad").port()));
        env.put("PGPASS", PgServer.SUPERUSER_PASSWORD);
        return env;
    }

    static ProxyFixture start(PostgresExtension pg, String... sections) throws Exception {
        return ProxyFixture.start(yaml(sections), env(pg, Map.of()));
    }
}
