package dev.meridian.proxy.server;

/**
 * A reason the proxy cannot start, said in one line that names the setting, port or file and
 * what to do: {@code meridian run} prints it as it is and exits 1, never with a stack trace.
 */
public final class StartupFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupFailure(String oneLine) {
        super(oneLine);
    }

    /** What the operator reads: the message alone. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
