package dev.meridian.proxy.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a user reads in the demo's banner, parsed back: the tests use only what is printed. */
record DemoOutput(String text) {

    private static final Pattern SERVER = Pattern.compile("^  (\\w+) +127\\.0\\.0\\.1:(\\d+)  cluster_name=\\1$");
    private static final Pattern CONFIG = Pattern.compile("^  config  (\\S+)$");
    private static final Pattern EXPECTATION = Pattern.compile("^(\\S+) -> (\\w+): .+$");

    /** A printed psql line and the region the line above it promises. */
    record Line(String database, String expectedRegion, String shellLine) {
    }

    Map<String, Integer> serverPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            Matcher m = SERVER.matcher(line);
            if (m.matches()) {
                ports.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return ports;
    }

    /** The scratch directory: the configuration file is written into it. */
    Path directory() {
        return text.lines().map(CONFIG::matcher).filter(Matcher::matches).findFirst()
                .map(m -> Path.of(m.group(1)).getParent())
                .orElseThrow(() -> new AssertionError("no config line in\n" + text));
    }

    List<Line> psqlLines() {
        List<String> lines = text.lines().toList();
        List<Line> found = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            Matcher m = EXPECTATION.matcher(lines.get(i));
            if (m.matches()) {
                found.add(new Line(m.group(1), m.group(2), lines.get(i + 1).strip()));
            }
        }
        return found;
    }
}
