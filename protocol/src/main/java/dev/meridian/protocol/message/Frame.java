package dev.meridian.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One regular message kept as bytes: a retained slice of the receive buffer covering the whole
 * message, type byte and length included, so it can be forwarded without re-encoding.
 * Whoever touches it last releases it.
 */
public final class Frame extends DefaultByteBufHolder {
    public Frame(ByteBuf wholeMessage) {
        super(wholeMessage);
    }

    /** The type byte (e.g. 'Q', 'P', 'p'). */
    public byte type() {
        return content().getByte(content().readerIndex());
    }

    /** The body: a slice after the 5-byte header, sharing the frame's reference count. */
    public ByteBuf body() {
        ByteBuf c = content();
        return c.slice(c.readerIndex() + 5, c.readableBytes() - 5);
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(content);
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public Frame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Frame touch() {
        super.touch();
        return this;
    }

    @Override
    public Frame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "Frame['" + (char) type() + "', " + content().readableBytes() + " bytes]";
    }
}
