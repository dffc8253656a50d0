package dev.meridian.proxy.session;

import dev.meridian.protocol.codec.MessageWriter;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.proxy.pooling.Synth;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** The bytes of an answer Meridian gives in the backend's place ({@link Synth}). */
final class SynthWriter {
    private SynthWriter() {
    }

    static void write(ByteBuf out, Synth s) {
        switch (s.type()) {
            case PARSE_COMPLETE -> out.writeByte('1').writeInt(4);
            case CLOSE_COMPLETE -> out.writeByte('3').writeInt(4);
            case ERROR -> ErrorResponse.error(s.sqlState(), s.message()).encode(out);
            case DEALLOCATE -> {
                MessageWriter.write(out, 'C', b -> b.writeCharSequence("DEALLOCATE\0", StandardCharsets.US_ASCII));
                ready(out, s.status());
            }
            case ERROR_READY -> {
                ErrorResponse.error(s.sqlState(), s.message()).encode(out);
                ready(out, s.status());
            }
        }
    }

    private static void ready(ByteBuf out, int status) {
        out.writeByte('Z').writeInt(5).writeByte(status);
    }
}
