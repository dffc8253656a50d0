package dev.meridian.proxy.localpg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code pg_ctl} for one data directory, run as the server user, logging to one file. */
final class PgCtl {

    static final Duration WAIT = Duration.ofSeconds(60);

    private final PgWorkspace workspace;
    private final Path dataDir;
    private final Path logFile;

    PgCtl(PgWorkspace workspace, Path dataDir, Path logFile) {
        this.workspace = workspace;
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    /** {@code pg_ctl start}; the log goes to a file because logging_collector is off. */
    ProcessResult start() {
        return run("-l", logFile.toString(), "start");
    }

    ProcessResult stopFast() {
        return run("-m", "fast", "stop");
    }

    ProcessResult promote() {
        return run("promote");
    }

    /** Waits ({@code -w}) for every action to complete, so callers see the final state. */
    private ProcessResult run(String... args) {
        List<String> command = new ArrayList<>(List.of(workspace.binaries().pgCtl().toString(),
                "-D", dataDir.toString(), "-w", "-t", Long.toString(WAIT.toSeconds())));
        command.addAll(List.of(args));
        return workspace.owner().withTimeout(WAIT.plusSeconds(30)).run(command, null);
    }

    String logTail() {
        try {
            return LogTail.of(new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    /** A failure message with pg_ctl's output and the server's own account of what went wrong. */
    IllegalStateException failure(String what, ProcessResult result) {
        return new IllegalStateException(what + result.describeOutput()
                + "\n--- tail of " + logFile + " ---\n" + logTail());
    }
}
