package dev.meridian.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.BackendMessage;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.GssEncRequest;
import dev.meridian.protocol.message.NegotiateProtocolVersion;
import dev.meridian.protocol.message.NoticeResponse;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.protocol.message.SslRequest;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.protocol.message.StartupPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.function.Consumer;

/** Encodes decoded records back to bytes, and decodes bytes once more, for the fuzz targets. */
final class Reencode {
    private Reencode() {
    }

    static byte[] startupPacket(StartupPacket p) {
        if (p instanceof StartupMessage m) {
            return bytes(m::encode);
        } else if (p instanceof CancelRequest c) {
            return bytes(c::encode);
        } else if (p instanceof SslRequest s) {
            return bytes(s::encode);
        }
        return bytes(((GssEncRequest) p)::encode);
    }

    static byte[] backendMessage(BackendMessage m) {
        if (m instanceof Authentication a) {
            return bytes(a::encode);
        } else if (m instanceof BackendKeyData k) {
            return bytes(k::encode);
        } else if (m instanceof ParameterStatus s) {
            return bytes(s::encode);
        } else if (m instanceof ReadyForQuery r) {
            return bytes(r::encode);
        } else if (m instanceof ErrorResponse e) {
            return bytes(e::encode);
        } else if (m instanceof NoticeResponse n) {
            return bytes(n::encode);
        }
        return bytes(((NegotiateProtocolVersion) m)::encode);
    }

    /** Decodes {@code bytes}, which must hold exactly one message, with a fresh decoder. */
    static Object decodeOne(ChannelHandler decoder, byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(Wire.buf(bytes));
            List<Object> out = Wire.drainInbound(ch);
            try {
                assertThat(out).as("messages decoded from a re-encoding").hasSize(1);
                assertThat(ch.finish()).isFalse();
                return out.get(0);
            } finally {
                out.forEach(o -> {
                    if (!(o instanceof StartupPacket) && !(o instanceof BackendMessage)) {
                        ReferenceCountUtil.release(o);
                    }
                });
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static byte[] bytes(Consumer<ByteBuf> encoder) {
        ByteBuf out = Unpooled.directBuffer();
        try {
            encoder.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
