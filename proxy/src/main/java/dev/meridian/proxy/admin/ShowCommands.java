package dev.meridian.proxy.admin;

import java.util.List;
import dev.meridian.proxy.session.ProxyContext;

/** SHOW ...: PgBouncer's tables (STATS, POOLS, CLIENTS ...) and Meridian's own (BACKENDS, ROUTES, CONFIG). */
final class ShowCommands {
    static final List<String> HELP = List.of("SHOW HELP", "SHOW VERSION", "SHOW CONFIG", "SHOW DATABASES",
            "SHOW ROUTES", "SHOW BACKENDS", "SHOW POOLS", "SHOW CLIENTS", "SHOW SERVERS", "SHOW USERS", "SHOW LISTS",
            "SHOW STATS", "SHOW STATS_TOTALS", "RELOAD", "PAUSE [database]", "RESUME [database]", "KILL database",
            "RECONNECT [database]", "SUSPEND", "SHUTDOWN");

    private final ProxyContext proxy;
    private final ConfigTables config;
    private final SessionTables sessions;

    ShowCommands(ProxyContext proxy) {
        this.proxy = proxy;
        this.config = new ConfigTables(proxy);
        this.sessions = new SessionTables(proxy);
    }

    ResultTable run(String what, String query) {
        return switch (what) {
            case "HELP" -> new ResultTable(List.of("command"), HELP.stream().map(List::of).toList(), "SHOW");
            case "VERSION" -> new ResultTable(List.of("version"), List.of(List.of(version())), "SHOW");
            case "CONFIG" -> new ResultTable(List.of("key", "value"), ConfigRows.of(proxy.config()), "SHOW");
            case "DATABASES" -> config.databases();
            case "ROUTES" -> config.routes();
            case "BACKENDS" -> config.backends();
            case "POOLS" -> sessions.pools();
            case "CLIENTS" -> sessions.clients();
            case "SERVERS" -> sessions.servers();
            case "USERS" -> sessions.users();
            case "LISTS" -> sessions.lists();
            case "STATS" -> StatsTables.stats(proxy.ops().stats());
            case "STATS_TOTALS" -> StatsTables.totals(proxy.ops().stats());
            default -> throw ConsoleCommands.unknown(query);
        };
    }

    /** The build's version (the jar manifest), as {@code meridian --version} prints it. */
    static String version() {
        String v = ShowCommands.class.getPackage().getImplementationVersion();
        return "Meridian " + (v == null ? "dev" : v);
    }
}
