package dev.meridian.proxy.localpg;

import java.util.List;

/** The end of a server log: enough to diagnose a failure without drowning the message. */
public final class LogTail {

    private static final int LINES = 40;

    private LogTail() {
    }

    public static String of(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
    }
}
