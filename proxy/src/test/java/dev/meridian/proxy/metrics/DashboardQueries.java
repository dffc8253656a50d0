package dev.meridian.proxy.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL query in the repository's Grafana dashboards (panel targets and template
 * variable queries), with Grafana's variables replaced the way Grafana would for "All":
 * dashboard variables by {@code .*}, interval macros by a fixed window.
 */
public final class DashboardQueries {
    /** One query, where it comes from, and the PromQL Prometheus is to run. */
    public record Query(String where, String grafanaExpr, String promql) {
    }

    /** {@code $__rate_interval} and friends: Grafana's value for a 1 s scrape interval is a few seconds; 30 s is safe. */
    public static final String WINDOW = "30s";
    private static final Pattern MACRO = Pattern.compile("\\$\\{?__(rate_interval|interval|range)(?::[a-z]+)?}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardQueries() {
    }

    /** {@code grafana/} at the repository root, found from the working directory (the module or the root). */
    public static Path grafanaDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("grafana/dashboards"))) {
                return dir.resolve("grafana");
            }
        }
        throw new IllegalStateException("no grafana/dashboards above " + Path.of("").toAbsolutePath());
    }

    public static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(grafanaDir().resolve("dashboards"))) {
            List<Path> found = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no dashboard JSON in " + grafanaDir().resolve("dashboards"));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path dashboard) {
        try {
            return JSON.readTree(dashboard.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every query of every dashboard. */
    public static List<Query> all() {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboards()) {
            JsonNode d = read(file);
            Set<String> vars = variables(d);
            String name = file.getFileName().toString();
            for (JsonNode v : d.path("templating").path("list")) {
                if (v.path("type").asText().equals("query")) {
                    String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
                    queries.add(new Query(name + " variable $" + v.path("name").asText(), q, promql(labelValuesSelector(q), vars)));
                }
            }
            panels(d.path("panels"), panel -> {
                for (JsonNode t : panel.path("targets")) {
                    String where = name + " panel '" + panel.path("title").asText() + "' " + t.path("refId").asText();
                    queries.add(new Query(where, t.path("expr").asText(), promql(t.path("expr").asText(), vars)));
                }
            });
        }
        return queries;
    }

    /** Non-row panels, also those nested in (collapsed) rows. */
    public static void panels(JsonNode panels, java.util.function.Consumer<JsonNode> each) {
        for (JsonNode p : panels) {
            if (p.path("type").asText().equals("row")) {
                panels(p.path("panels"), each);
            } else {
                each.accept(p);
            }
        }
    }

    public static Set<String> variables(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        dashboard.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    /** {@code label_values(selector, label)} asks for the series of {@code selector}; a bare {@code label_values(label)} is left to fail. */
    static String labelValuesSelector(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        return m.matches() ? m.group(1) : query;
    }

    /** Grafana's substitutions for "All" and a fixed window; a variable the dashboard does not define is left, to fail. */
    static String promql(String expr, Set<String> variables) {
        String out = MACRO.matcher(expr).replaceAll(WINDOW);
        for (String v : variables) {
            out = out.replaceAll("\\$\\{" + v + "(?::[a-z]+)?}|\\$" + v + "\\b", ".*");
        }
        return out;
    }
}
