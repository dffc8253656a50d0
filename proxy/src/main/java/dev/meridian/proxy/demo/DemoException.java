package dev.meridian.proxy.demo;

/** A reason the demo cannot run that the user can fix; its message is printed as is. */
public final class DemoException extends RuntimeException {

    public DemoException(String message) {
        super(message);
    }

    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
