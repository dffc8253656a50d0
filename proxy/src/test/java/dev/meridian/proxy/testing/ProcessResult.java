package dev.meridian.proxy.testing;

import java.util.List;

/** Outcome of one finished client tool run by {@link PgTools}; output is captured in full. */
public record ProcessResult(int exitCode, String stdout, String stderr) {

    static ProcessResult of(dev.meridian.proxy.localpg.ProcessResult result) {
        return new ProcessResult(result.exitCode(), result.stdout(), result.stderr());
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Returns this result when the exit code is 0, otherwise throws with everything needed to
     * diagnose the failure, so callers can chain {@code run(...).requireSuccess(...)}.
     */
    public ProcessResult requireSuccess(List<String> command) {
        local().requireSuccess(command);
        return this;
    }

    private dev.meridian.proxy.localpg.ProcessResult local() {
        return new dev.meridian.proxy.localpg.ProcessResult(exitCode, stdout, stderr);
    }
}
