package dev.meridian.proxy.localpg;

import java.util.List;

/** Outcome of one finished child process; output is captured in full. */
public record ProcessResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Returns this result when the exit code is 0, otherwise throws with everything needed to
     * diagnose the failure, so callers can chain {@code run(...).requireSuccess(...)}.
     */
    public ProcessResult requireSuccess(List<String> command) {
        if (!succeeded()) {
            throw new IllegalStateException("command failed with exit code " + exitCode + ": "
                    + String.join(" ", command) + describeOutput());
        }
        return this;
    }

    /** Both streams, labelled, for failure messages. */
    public String describeOutput() {
        return "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
