package dev.meridian.proxy.backend;

import io.netty.channel.ConnectTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a TCP connect to a backend failed, in an operator's words. Netty's native transports
 * report {@code finishConnect(..) failed with error(-111)} (a negated errno) where the JDK says
 * {@code Connection refused}; both read as {@code connection refused} here, and a name that does
 * not resolve says so instead of {@code nosuchhost: Name or service not known}.
 */
public final class ConnectFailure {

    private static final Pattern ERRNO = Pattern.compile("error\\((-?\\d+)\\)");
    /** Linux errno values a connect can end with. */
    private static final Map<Integer, String> ERRNOS = Map.of(
            111, "connection refused",
            110, "connection timed out",
            113, "no route to host",
            101, "network is unreachable",
            104, "connection reset by peer",
            99, "cannot assign requested address");

    private ConnectFailure() {}

    public static String describe(Throwable cause, String host) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "host name \"" + host + "\" did not resolve (DNS lookup failed)";
            }
            if (t instanceof ConnectTimeoutException) {
                return "connection timed out";
            }
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        Matcher errno = ERRNO.matcher(message);
        if (errno.find()) {
            String known = ERRNOS.get(Math.abs(Integer.parseInt(errno.group(1))));
            if (known != null) {
                return known;
            }
        }
        for (String phrase : ERRNOS.values()) {
            if (message.toLowerCase(Locale.ROOT).contains(phrase)) {
                return phrase;
            }
        }
        return message;
    }
}
