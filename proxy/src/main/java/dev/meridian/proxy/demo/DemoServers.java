package dev.meridian.proxy.demo;

import dev.meridian.protocol.auth.ScramVerifier;
import dev.meridian.proxy.localpg.LocalCluster;
import dev.meridian.proxy.localpg.PgWorkspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's regional PostgreSQL servers, one per region. Each sets {@code cluster_name} to its
 * region, so a query through the proxy shows where it landed, and holds the login role
 * {@value #ROLE} and the database {@code demo_<region>} that only it serves.
 */
final class DemoServers {

    static final List<String> REGIONS = List.of("iad", "lhr", "sin");
    static final String ROLE = "demo";

    private final List<LocalCluster> clusters;

    private DemoServers(List<LocalCluster> clusters) {
        this.clusters = List.copyOf(clusters);
    }

    static String database(String region) {
        return "demo_" + region;
    }

    /**
     * Starts one server per region. On failure the servers already started are left to the
     * workspace, whose {@code close()} removes them.
     */
    static DemoServers start(PgWorkspace workspace, String rolePassword, PrintStream progress) {
        // The role is created from a SCRAM verifier, so the password never appears in a process
        // argument list; PostgreSQL stores a verifier given in CREATE ROLE as is.
        String verifier = ScramVerifier.generate(rolePassword).encode();
        List<LocalCluster> started = new ArrayList<>();
        for (String region : REGIONS) {
            progress.println("Starting PostgreSQL for region " + region + " ...");
            LocalCluster cluster = LocalCluster.startPrimary(workspace, region, Map.of("cluster_name", region));
            started.add(cluster);
            cluster.execute("postgres",
                    "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + verifier + "'",
                    "CREATE DATABASE " + database(region) + " OWNER " + ROLE);
        }
        return new DemoServers(started);
    }

    List<LocalCluster> clusters() {
        return clusters;
    }

    int port(String region) {
        return clusters.stream().filter(c -> c.name().equals(region)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo server for " + region)).port();
    }

    /** Fast shutdown of every server, then their files go; failures are left to the workspace. */
    void stop() {
        for (LocalCluster cluster : clusters) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                System.err.println("meridian demo: " + cluster.name() + ": " + e.getMessage());
            }
        }
    }
}
