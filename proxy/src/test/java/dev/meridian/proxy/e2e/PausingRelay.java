package dev.meridian.proxy.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A slow network in front of a PostgreSQL server: what the server says goes on in pieces, each
 * up to and including a ReadyForQuery, with a pause after each, so that two answers the server
 * gives back to back reach the proxy in separate reads (as they may on any real network).
 * Blocking I/O, two daemon threads per connection: a test fixture, not a server.
 */
final class PausingRelay implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;

    private final ServerSocket listener;
    private final int targetPort;
    private final long pauseMillis;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private PausingRelay(int targetPort, long pauseMillis) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.pauseMillis = pauseMillis;
    }

    static PausingRelay start(int targetPort, long pauseMillis) throws IOException {
        PausingRelay relay = new PausingRelay(targetPort, pauseMillis);
        ProxyProtocolRelay.daemon("pausing-relay", relay::acceptLoop);
        return relay;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                ProxyProtocolRelay.daemon("pausing-relay", () -> up(client, server));
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    /** Client to server as it comes; the first message says whether the server answers an SSLRequest first. */
    private void up(Socket client, Socket server) {
        try {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = server.getOutputStream();
            int length = in.readInt();
            byte[] rest = new byte[length - 4];
            in.readFully(rest);
            boolean ssl = length == 8 && ((rest[0] & 0xFF) << 24 | (rest[1] & 0xFF) << 16 | (rest[2] & 0xFF) << 8
                    | (rest[3] & 0xFF)) == SSL_REQUEST;
            out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
            out.write(rest);
            out.flush();
            ProxyProtocolRelay.daemon("pausing-relay", () -> down(server, client, ssl));
            in.transferTo(out);
        } catch (IOException e) {
            // either side went away
        } finally {
            ProxyProtocolRelay.closeQuietly(server);
        }
    }

    /** Server to client, message by message; after each ReadyForQuery a flush and a pause. */
    private void down(Socket server, Socket client, boolean sslAnswerFirst) {
        try {
            DataInputStream in = new DataInputStream(server.getInputStream());
            OutputStream out = client.getOutputStream();
            if (sslAnswerFirst) {
                out.write(in.readUnsignedByte());
                out.flush();
            }
            java.io.ByteArrayOutputStream piece = new java.io.ByteArrayOutputStream();
            while (true) {
                int type = in.readUnsignedByte();
                int length = in.readInt();
                byte[] body = new byte[length - 4];
                in.readFully(body);
                piece.write(type);
                piece.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                piece.write(body);
                if (type == 'Z' || in.available() == 0) {
                    out.write(piece.toByteArray());
                    out.flush();
                    piece.reset();
                }
                if (type == 'Z') {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (IOException | InterruptedException e) {
            // either side went away
        } finally {
            ProxyProtocolRelay.closeQuietly(client);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(ProxyProtocolRelay::closeQuietly);
    }
}
