package dev.meridian.proxy.demo;

import dev.meridian.proxy.localpg.LocalCluster;
import dev.meridian.proxy.localpg.PgBinaries;
import java.io.PrintStream;

/** What the demo prints once it runs: where everything is, and psql lines that show routing. */
public final class DemoBanner {

    /** The last line printed; once it appears, every psql line above it works. */
    public static final String READY = "Ctrl-C stops the proxy and the servers and deletes their data.";

    private DemoBanner() {
    }

    public static void print(Demo demo, PrintStream out) {
        out.println();
        out.println("Meridian demo: one proxy, three regions, each a throwaway PostgreSQL server.");
        out.printf("  proxy   %s:%d  (admin: http://%s:%d/health)%n", DemoConfig.HOST, demo.proxyPort(),
                DemoConfig.HOST, demo.adminPort());
        for (LocalCluster server : demo.servers()) {
            out.printf("  %-7s %s:%d  cluster_name=%s%n", server.name(), LocalCluster.HOST, server.port(),
                    server.name());
        }
        out.println("  config  " + demo.configFile());
        out.println();
        out.println("Meridian picks the region by database name; each query prints the cluster_name of the"
                + " server it reached:");
        String psql = psqlCommand();
        for (DemoQuery query : demo.queries()) {
            out.println();
            out.println(query.database() + " -> " + query.expectedRegion() + ": " + query.why());
            out.println("  " + query.shellLine(psql, demo.proxyPort()));
        }
        out.println();
        out.println("The admin console (SHOW BACKENDS, SHOW CLIENTS, SHOW POOLS, SHOW ROUTES, RELOAD ...):");
        out.printf("  %s \"host=%s port=%d dbname=meridian user=%s\" -c \"SHOW BACKENDS\"%n", psql, DemoConfig.HOST,
                demo.proxyPort(), DemoServers.ROLE);
        out.printf("  metrics: http://%s:%d/metrics%n", DemoConfig.HOST, demo.adminPort());
        out.println();
        out.println(READY);
        out.flush();
    }

    /** Plain {@code psql} when the shell can find one, else the full path of ours. */
    private static String psqlCommand() {
        if (PgBinaries.findOnPath(System.getenv("PATH"), "psql").isPresent()) {
            return "psql";
        }
        return PgBinaries.require().psql().toString();
    }
}
