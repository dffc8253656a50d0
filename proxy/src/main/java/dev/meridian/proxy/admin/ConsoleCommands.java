package dev.meridian.proxy.admin;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.session.ProxyContext;
import dev.meridian.proxy.session.SessionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The admin console's commands, answered in the tabular form PgBouncer users know:
 * SHOW BACKENDS | CLIENTS | POOLS | ROUTES | CONFIG | HELP, RELOAD, PAUSE [db], RESUME [db].
 */
public final class ConsoleCommands {
    private static final String SYNTAX_ERROR = "42601";

    private final ProxyContext proxy;

    public ConsoleCommands(ProxyContext proxy) {
        this.proxy = proxy;
    }

    public ResultTable run(String query) {
        String[] words = query.strip().replaceAll(";+\\s*$", "").strip().split("\\s+");
        String verb = words[0].toUpperCase(Locale.ROOT);
        String arg = words.length > 1 ? words[1] : null;
        return switch (verb) {
            case "SHOW" -> show(arg == null ? "" : arg.toUpperCase(Locale.ROOT));
            case "RELOAD" -> reload();
            case "PAUSE" -> {
                proxy.pauses().pause(arg);
                yield ResultTable.done("PAUSE");
            }
            case "RESUME" -> {
                proxy.pauses().resume(arg);
                yield ResultTable.done("RESUME");
            }
            default -> throw unknown(query);
        };
    }

    private ResultTable show(String what) {
        MeridianConfig c = proxy.config();
        return switch (what) {
            case "BACKENDS" -> backends(c);
            case "CLIENTS" -> clients();
            case "POOLS" -> pools(c);
            case "ROUTES" -> routes(c);
            case "CONFIG" -> new ResultTable(List.of("key", "value"), ConfigRows.of(c), "SHOW");
            case "HELP" -> new ResultTable(List.of("command"), List.of(List.of("SHOW BACKENDS"),
                    List.of("SHOW CLIENTS"), List.of("SHOW POOLS"), List.of("SHOW ROUTES"), List.of("SHOW CONFIG"),
                    List.of("RELOAD"), List.of("PAUSE [database]"), List.of("RESUME [database]")), "SHOW");
            default -> throw unknown("SHOW " + what);
        };
    }

    private ResultTable backends(MeridianConfig c) {
        List<List<String>> rows = new ArrayList<>();
        for (BackendConfig b : c.backends()) {
            var health = proxy.health().health(b.name());
            rows.add(List.of(b.name(), b.region(), b.host(), Integer.toString(b.port()),
                    health.role().name().toLowerCase(Locale.ROOT), health.up() ? "up" : "down",
                    health.rtt() == null ? "" : String.format(Locale.ROOT, "%.2f", health.rtt().toNanos() / 1e6)));
        }
        return new ResultTable(List.of("name", "region", "host", "port", "role", "state", "rtt_ms"), rows, "SHOW");
    }

    private ResultTable clients() {
        List<List<String>> rows = new ArrayList<>();
        for (SessionRegistry.Entry e : proxy.sessions().list()) {
            rows.add(List.of(Long.toString(e.id()), e.user(), e.database(), e.backend(), e.backendRegion(),
                    String.valueOf(e.clientAddress()), e.since().toString()));
        }
        return new ResultTable(List.of("id", "user", "database", "backend", "backend_region", "address", "since"),
                rows, "SHOW");
    }

    private ResultTable pools(MeridianConfig c) {
        List<List<String>> rows = new ArrayList<>();
        for (BackendConfig b : c.backends()) {
            rows.add(List.of(b.name(), b.region(), Integer.toString(proxy.pool().activeCount(b.name()).getAsInt()),
                    Integer.toString(proxy.pool().idleCount(b.name()).getAsInt()),
                    Integer.toString(c.pool().maxPerBackend())));
        }
        return new ResultTable(List.of("backend", "region", "active", "idle", "max"), rows, "SHOW");
    }

    private ResultTable routes(MeridianConfig c) {
        List<List<String>> rows = new ArrayList<>();
        for (DatabaseRule r : c.databases()) {
            rows.add(List.of(r.pattern(), r.regions().isEmpty() ? "(all)" : String.join(",", r.regions()),
                    r.prefer().kind() == dev.meridian.proxy.config.Preference.Kind.REGION ? r.prefer().region()
                            : r.prefer().kind().name().toLowerCase(Locale.ROOT),
                    r.backendDatabase() == null ? "" : r.backendDatabase(),
                    proxy.pauses().isPaused(r.pattern()) ? "paused" : ""));
        }
        return new ResultTable(List.of("database", "regions", "prefer", "backend_database", "state"), rows, "SHOW");
    }

    private ResultTable reload() {
        var outcome = proxy.reload();
        if (!outcome.applied()) {
            throw new ProtocolException("F0000", "reload refused: " + String.join("; ", outcome.messages()));
        }
        return ResultTable.done("RELOAD");
    }

    private static ProtocolException unknown(String query) {
        return new ProtocolException(SYNTAX_ERROR, "unknown admin command: " + query.strip()
                + " (SHOW HELP lists the commands)");
    }
}
