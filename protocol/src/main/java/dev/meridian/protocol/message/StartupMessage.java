package dev.meridian.protocol.message;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.CStrings;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StartupMessage: Int32 length, Int32 protocol version (major &lt;&lt; 16 | minor), then
 * name/value string pairs ended by one extra NUL. Parameter order is kept, because it is
 * forwarded to the backend as the client sent it.
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) implements StartupPacket {
    public static final int PROTOCOL_3_0 = 3 << 16;

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public int majorVersion() {
        return protocolVersion >>> 16;
    }

    public int minorVersion() {
        return protocolVersion & 0xFFFF;
    }

    /** The user name, or null when the client sent none (a refusal, 28000). */
    public String user() {
        return parameters.get("user");
    }

    /** The database, defaulting to the user name as the server does. */
    public String database() {
        String db = parameters.get("database");
        return db == null || db.isEmpty() ? user() : db;
    }

    /**
     * Whether {@code parameters} ask for a walsender: {@code replication} set to {@code true},
     * {@code on}, {@code yes}, {@code 1} (physical) or {@code database} (logical). A false value
     * ({@code false}, {@code off}, {@code no}, {@code 0}) or none does not; any other value is
     * counted as a request, so that what PostgreSQL might accept is never mistaken for a
     * normal session.
     */
    public static boolean isReplication(Map<String, String> parameters) {
        String value = parameters.get("replication");
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "false", "off", "no", "0" -> false;
            default -> true;
        };
    }

    /** Reads the part after the version code. */
    public static StartupMessage decode(int protocolVersion, ByteBuf body) {
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            if (!body.isReadable()) {
                throw ProtocolException.violation("invalid startup packet layout: expected terminator as last byte");
            }
            if (body.getByte(body.readerIndex()) == 0) {
                body.skipBytes(1);
                break;
            }
            String name = CStrings.read(body);
            if (!body.isReadable()) {
                throw ProtocolException.violation("invalid startup packet layout: expected terminator as last byte");
            }
            params.put(name, CStrings.read(body));
        }
        if (body.isReadable()) {
            throw ProtocolException.violation("invalid startup packet layout: expected terminator as last byte");
        }
        return new StartupMessage(protocolVersion, params);
    }

    public void encode(ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0).writeInt(protocolVersion);
        parameters.forEach((k, v) -> {
            CStrings.write(out, k);
            CStrings.write(out, v);
        });
        out.writeByte(0);
        out.setInt(start, out.writerIndex() - start);
    }

    /** A copy with other parameters (e.g. the backend's user and database, routing options removed). */
    public StartupMessage withParameters(Map<String, String> newParameters) {
        return new StartupMessage(protocolVersion, newParameters);
    }

    /** Parameter values may hold passwords in {@code options}: print names only. */
    @Override
    public String toString() {
        return "StartupMessage[" + majorVersion() + "." + minorVersion() + ", parameters=" + parameters.keySet() + "]";
    }
}
