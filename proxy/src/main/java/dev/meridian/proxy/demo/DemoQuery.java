package dev.meridian.proxy.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One ready-to-paste {@code psql} line of the demo: a database, the region Meridian routes it
 * to, and why. The query prints the server's {@code cluster_name}, which is its region.
 */
public record DemoQuery(String database, String regionOption, String expectedRegion, String why) {

    public static final String SQL = "select current_setting('cluster_name')";

    /** One line per regional database, then one for a database only the {@code "*"} rule matches. */
    static List<DemoQuery> all() {
        List<DemoQuery> queries = new ArrayList<>();
        for (String region : DemoServers.REGIONS) {
            queries.add(new DemoQuery(DemoServers.database(region), null, region, "lives in " + region + " only"));
        }
        queries.add(new DemoQuery("postgres", null, DemoConfig.PROXY_REGION, "matches \"*\" (prefer: nearest); "
                + "a client Meridian cannot place counts as being in the proxy's region"));
        queries.add(new DemoQuery("postgres", "sin", "sin", "the same database, for a client that says it is in sin "
                + "(options -c meridian.region=sin): the nearest region to it"));
        return queries;
    }

    /** libpq connection string for this query's database through the proxy. */
    public String conninfo(int proxyPort) {
        return "host=" + DemoConfig.HOST + " port=" + proxyPort + " dbname=" + database
                + " user=" + DemoServers.ROLE
                + (regionOption == null ? "" : " options='-c meridian.region=" + regionOption + "'");
    }

    /** The shell line; {@code psql} is the command to print for psql (a name on PATH, or a path). */
    public String shellLine(String psql, int proxyPort) {
        return shellWord(psql) + " \"" + conninfo(proxyPort) + "\" -c \"" + SQL + "\"";
    }

    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
