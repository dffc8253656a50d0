package dev.meridian.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden-byte helpers for the codec tests. Bytes are spelled out by hand in hex or as literal
 * ASCII (with explicit {@code \0} terminators); nothing here calls an encoder under test.
 */
public final class Wire {
    private Wire() {
    }

    /** Hex digits; whitespace is ignored ("00 00 00 08 04 d2 16 2f"). */
    public static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", ""));
    }

    /** The UTF-8 bytes of {@code s}, no terminator added: write {@code \0} where the wire has one. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] repeat(int value, int count) {
        byte[] b = new byte[count];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    /** A leak-tracked (direct) buffer holding the parts (see {@link LeakCheck}). */
    public static ByteBuf buf(byte[]... parts) {
        byte[] b = concat(parts);
        return Unpooled.directBuffer(b.length).writeBytes(b);
    }

    /** The readable bytes, without moving the reader index. */
    public static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    public static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    /** Everything the channel has passed on so far, in order. The caller releases it. */
    public static List<Object> drainInbound(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    public static void releaseAll(List<?> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }
}
