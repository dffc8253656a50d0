package dev.meridian.protocol.message;

import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * NegotiateProtocolVersion ('v'): Int32 newest minor version the server supports for the
 * requested major, Int32 count, then the names of the {@code _pq_.} options it does not know.
 * Sent instead of an error when a client asks for a newer minor version or protocol options.
 */
public record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions)
        implements BackendMessage {
    public NegotiateProtocolVersion {
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }

    public static NegotiateProtocolVersion decode(ByteBuf body) {
        int minor = body.readInt();
        int count = body.readInt();
        List<String> options = new ArrayList<>();
        for (int i = 0; i < count && body.isReadable(); i++) {
            options.add(CStrings.read(body));
        }
        return new NegotiateProtocolVersion(minor, options);
    }

    public void encode(ByteBuf out) {
        MessageWriter.write(out, 'v', b -> {
            b.writeInt(newestMinorVersion).writeInt(unrecognizedOptions.size());
            unrecognizedOptions.forEach(o -> CStrings.write(b, o));
        });
    }
}
