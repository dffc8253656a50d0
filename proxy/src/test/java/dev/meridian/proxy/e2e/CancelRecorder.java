package dev.meridian.proxy.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for a sibling instance: records the bytes of each connection it accepts (up to EOF),
 * so a test sees exactly what a proxy forwards.
 */
final class CancelRecorder implements AutoCloseable {
    private final ServerSocket listener;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    CancelRecorder() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "cancel-recorder");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The bytes of the next connection, or null if none arrives within {@code millis}. */
    byte[] next(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                s.setSoTimeout(5_000);
                received.add(in.readAllBytes());
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
