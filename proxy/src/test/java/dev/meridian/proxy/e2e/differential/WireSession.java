package dev.meridian.proxy.e2e.differential;

import dev.meridian.proxy.e2e.differential.Op.Bind;
import dev.meridian.proxy.e2e.differential.Op.Close;
import dev.meridian.proxy.e2e.differential.Op.Describe;
import dev.meridian.proxy.e2e.differential.Op.Execute;
import dev.meridian.proxy.e2e.differential.Op.Ext;
import dev.meridian.proxy.e2e.differential.Op.Parse;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A blocking protocol-3.0 client that writes extended-protocol messages exactly as a batch asks
 * (pipelined in one write) and hands back every backend message, so the test sees what a driver
 * would hide: ParameterStatus, NoData, ParseComplete, the skip-until-Sync after an error.
 */
final class WireSession implements AutoCloseable {
    static int TIMEOUT = Integer.getInteger("wire.timeout", 60_000);
    record Message(char type, byte[] body) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    WireSession(int port, Map<String, String> startup) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        Frame body = new Frame();
        body.int32(196608);
        startup.forEach((k, v) -> body.cstring(k).cstring(v));
        body.bytes.write(0);
        Frame packet = new Frame();
        packet.int32(body.bytes.size() + 4);
        packet.bytes.writeBytes(body.bytes.toByteArray());
        out.write(packet.bytes.toByteArray());
        out.flush();
    }

    void query(String sql) throws IOException {
        send(message('Q', new Frame().cstring(sql)));
    }

    /** All steps, then Sync, in one write. */
    void batch(java.util.List<Ext> steps) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Ext step : steps) {
            all.writeBytes(encode(step));
        }
        all.writeBytes(message('S', new Frame()));
        send(all.toByteArray());
    }

    private static byte[] encode(Ext step) {
        if (step instanceof Parse p) {
            return message('P', new Frame().cstring(p.name()).cstring(p.sql()).int16(0));
        }
        if (step instanceof Bind b) {
            Frame f = new Frame().cstring("").cstring(b.statement()).int16(0).int16(b.params().size());
            for (String param : b.params()) {
                byte[] v = param.getBytes(StandardCharsets.UTF_8);
                f.int32(v.length);
                f.bytes.writeBytes(v);
            }
            return message('B', f.int16(0));
        }
        if (step instanceof Execute) {
            return message('E', new Frame().cstring("").int32(0));
        }
        if (step instanceof Op.Sync) {
            return message('S', new Frame());
        }
        if (step instanceof Describe d) {
            return message('D', new Frame().byte1(d.kind()).cstring(d.name()));
        }
        Close c = (Close) step;
        return message('C', new Frame().byte1('S').cstring(c.name()));
    }

    /** The next message, or null if none arrived within {@code millis}. */
    Message poll(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return read();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(TIMEOUT);
        }
    }

    Message read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the server");
        }
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    private void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private static byte[] message(char type, Frame body) {
        Frame m = new Frame().byte1(type).int32(body.bytes.size() + 4);
        m.bytes.writeBytes(body.bytes.toByteArray());
        return m.bytes.toByteArray();
    }

    @Override
    public void close() throws IOException {
        try {
            send(message('X', new Frame()));
        } catch (IOException e) {
            // already gone
        }
        socket.close();
    }

    private static final class Frame {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Frame byte1(char c) {
            bytes.write(c);
            return this;
        }

        Frame int16(int v) {
            bytes.write(v >>> 8);
            bytes.write(v);
            return this;
        }

        Frame int32(int v) {
            bytes.write(v >>> 24);
            bytes.write(v >>> 16);
            bytes.write(v >>> 8);
            bytes.write(v);
            return this;
        }

        Frame cstring(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
            return this;
        }
    }
}
