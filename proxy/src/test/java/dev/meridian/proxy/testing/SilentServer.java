package dev.meridian.proxy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A "backend" on loopback that accepts connections and holds them open, but never says a word:
 * what a hung server looks like from outside. Closing it closes everything it accepted.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new ArrayList<>();

    public SilentServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    synchronized (held) {
                        held.add(s);
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (held) {
            for (Socket s : held) {
                s.close();
            }
            held.clear();
        }
    }
}
