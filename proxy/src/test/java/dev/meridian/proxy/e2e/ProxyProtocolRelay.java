package dev.meridian.proxy.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a load balancer: accepts plain TCP, connects to the proxy, writes one PROXY
 * protocol header claiming a chosen client address, then copies bytes both ways. Blocking I/O,
 * two daemon threads per connection: a test fixture, not a server.
 */
final class ProxyProtocolRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final byte[] header;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ProxyProtocolRelay(int targetPort, byte[] header) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.header = header.clone();
    }

    /** Relays every connection to {@code 127.0.0.1:targetPort}, each preceded by {@code header}. */
    static ProxyProtocolRelay start(int targetPort, byte[] header) throws IOException {
        ProxyProtocolRelay relay = new ProxyProtocolRelay(targetPort, header);
        daemon("relay-accept", relay::acceptLoop);
        return relay;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket proxy = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(proxy);
                proxy.getOutputStream().write(header);
                daemon("relay-up", () -> pipe(client, proxy));
                daemon("relay-down", () -> pipe(proxy, client));
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    /** Copies until EOF, then half-closes the other side so the peer sees the end too. */
    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(to);
        }
    }

    /** A daemon thread running {@code body} (the test relays' threads). */
    static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(ProxyProtocolRelay::closeQuietly);
    }
}
