package dev.meridian.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * Binding the listening ports, with failures turned into one line that names the setting
 * ({@code listen.port}, {@code admin.port}), the address and what to do about it.
 */
public final class ListenPorts {
    private ListenPorts() {
    }

    /**
     * Binds {@code bootstrap} to {@code host:port}.
     *
     * @throws StartupFailure naming {@code key} when the port cannot be bound
     */
    public static Channel bind(String key, ServerBootstrap bootstrap, String host, int port) {
        ChannelFuture bound = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw failure(key, host, port, bound.cause());
        }
        return bound.channel();
    }

    /**
     * SO_REUSEPORT lets a second process of the same user bind the port too, and the kernel would
     * then split new connections between the two without a word; so a plain bind comes first,
     * which fails while anyone else listens there. It binds a socket that never listens (a
     * listening probe would accept, then reset, a client that connects in that instant: a
     * refusal window at start).
     *
     * @throws StartupFailure naming {@code key} when someone listens on the port already
     */
    public static void ensureFree(String key, String host, int port) {
        try (Socket probe = new Socket()) {
            probe.setReuseAddress(true); // TIME_WAIT leftovers of a previous run are no conflict
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw failure(key, host, port, e);
        } catch (IOException e) {
            // Not a conflict (e.g. an unresolvable host): the real bind reports it.
        }
    }

    static StartupFailure failure(String key, String host, int port, Throwable cause) {
        String why = cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
        String address = host + ":" + port;
        if (why.toLowerCase(Locale.ROOT).contains("in use")) {
            return new StartupFailure(key + ": " + address + " is already in use (another Meridian, PostgreSQL"
                    + " or other server listens there): stop it, or set " + key + " to a free port");
        }
        return new StartupFailure(key + ": cannot listen on " + address + ": " + why
                + " (check the host is an address of this machine and the port is allowed)");
    }
}
