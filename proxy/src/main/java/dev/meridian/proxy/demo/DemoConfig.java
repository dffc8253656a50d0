package dev.meridian.proxy.demo;

import java.util.Map;

/**
 * The proxy configuration of the demo, as YAML a user can read and copy: it is written next to
 * the servers' data and loaded from there like any other configuration file.
 */
final class DemoConfig {

    /**
     * The environment variable the backends' password is read from; the file holds no secret. The
     * demo's proxy gets it in memory; without it ({@code meridian check} or {@code route} on the
     * printed file) the default is empty, so the file loads anywhere.
     */
    static final String PASSWORD_ENV = "MERIDIAN_DEMO_PASSWORD";
    static final String HOST = "127.0.0.1";
    static final String PROXY_REGION = "iad";

    private DemoConfig() {
    }

    /** The configuration text for a proxy on {@code ports} in front of {@code backendPorts}. */
    static String yaml(DemoPorts ports, Map<String, Integer> backendPorts) {
        StringBuilder yaml = new StringBuilder()
                .append("# meridian demo: one proxy in front of three throwaway PostgreSQL servers, one per region.\n")
                .append("listen: { host: ").append(HOST).append(", port: ").append(ports.proxy()).append(" }\n")
                .append("admin:  { host: ").append(HOST).append(", port: ").append(ports.admin())
                .append(", users: [").append(DemoServers.ROLE).append("] }\n")
                .append("region: ").append(PROXY_REGION)
                .append("   # where this proxy runs; clients it cannot place are assumed to be here\n")
                .append("# Clients are not asked for a password: the demo listens on ").append(HOST)
                .append(" only and deletes its data on exit.\n")
                .append("# A deployment authenticates clients with scram-sha-256 and a users_file"
                        + " (see deploy/meridian.yaml).\n")
                .append("auth: { method: trust }\n")
                .append("backends:   # Meridian logs in to each server as '").append(DemoServers.ROLE)
                .append("' with SCRAM-SHA-256\n");
        for (String region : DemoServers.REGIONS) {
            yaml.append("  - { name: ").append(region).append("-1, region: ").append(region)
                    .append(", host: ").append(HOST).append(", port: ").append(backendPorts.get(region))
                    .append(", user: ").append(DemoServers.ROLE)
                    .append(", password: \"${").append(PASSWORD_ENV).append(":-}\" }\n");
        }
        yaml.append("databases:  # first match wins; each demo_<region> database lives in that region only\n");
        for (String region : DemoServers.REGIONS) {
            yaml.append("  ").append(DemoServers.database(region)).append(": { regions: [")
                    .append(region).append("] }\n");
        }
        return yaml.append("  \"*\": { prefer: nearest }\n").toString();
    }
}
