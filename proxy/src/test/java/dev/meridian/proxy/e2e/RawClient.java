package dev.meridian.proxy.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deliberately dumb wire client for tests that real drivers cannot express: odd protocol
 * versions, pipelined bytes, malformed packets. Blocking I/O with a read timeout.
 */
final class RawClient implements AutoCloseable {
    record Message(char type, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The fields of an ErrorResponse/NoticeResponse body. */
        Map<Character, String> fields() {
            Map<Character, String> fields = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    static byte[] startupPacket(int version, Map<String, String> params) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        params.forEach((k, v) -> {
            body.writeBytes((k + "\0" + v + "\0").getBytes(StandardCharsets.UTF_8));
        });
        body.write(0);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        writeInt(packet, b.length + 8);
        writeInt(packet, version);
        packet.writeBytes(b);
        return packet.toByteArray();
    }

    static byte[] sslRequest() {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        writeInt(packet, 8);
        writeInt(packet, 80877103);
        return packet.toByteArray();
    }

    static byte[] query(String sql) {
        byte[] s = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write('Q');
        writeInt(packet, s.length + 4);
        packet.writeBytes(s);
        return packet.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    /** One write for all parts, so that pipelined messages arrive together (one read for the proxy). */
    void send(byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    int readByte() throws IOException {
        return in.read();
    }

    Message read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    /** Reads messages until one of {@code type} arrives (or the connection ends). */
    Message readUntil(char type) throws IOException {
        while (true) {
            Message m = read();
            if (m.type() == type) {
                return m;
            }
        }
    }

    /** True when the server has closed the connection (EOF within the timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
