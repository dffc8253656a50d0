package dev.meridian.proxy.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * A pgjdbc {@code socketFactory} that plays Fly's load balancer picking another machine for the
 * cancel: the connection's first socket goes where pgjdbc asks, every later one (pgjdbc opens a
 * fresh socket for {@code Statement.cancel()}, through the same factory) goes to
 * 127.0.0.1:{@code socketFactoryArg}, the sibling instance. Use with {@code sslmode=disable}, so
 * the session itself needs one socket.
 */
public final class SiblingCancelSockets extends SocketFactory {
    private final int siblingPort;
    private int created;

    public SiblingCancelSockets(String siblingPort) {
        this.siblingPort = Integer.parseInt(siblingPort);
    }

    @Override
    public synchronized Socket createSocket() {
        return created++ == 0 ? new Socket() : new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                super.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), siblingPort), timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress address) throws IOException {
        Socket s = createSocket();
        s.connect(address, 10_000);
        return s;
    }
}
