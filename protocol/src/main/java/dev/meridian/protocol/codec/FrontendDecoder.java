package dev.meridian.protocol.codec;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.GssEncRequest;
import dev.meridian.protocol.message.SslRequest;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.protocol.message.StartupPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes what a client sends to a server: first the untyped startup packets, then regular
 * typed messages as retained-slice {@link Frame}s (never copied, never re-encoded).
 *
 * <p>Limits are PostgreSQL's: a startup packet is 8..10000 bytes, a message before authentication
 * at most {@link #MAX_PRE_AUTH_LENGTH}, after it at most the configured maximum. Bytes that
 * arrive behind an SSLRequest or GSSENCRequest before it was answered are refused (CVE-2021-23214: they would be read as if they had been encrypted).
 * Any violation throws {@link ProtocolException} (08P01) once; after that input is discarded.
 * A packet whose length is impossible is {@link ProtocolException#unanswered}: closed without an
 * answer, as PostgreSQL's ProcessStartupPacket does (COMMERROR); a well-framed but bad packet
 * (unsupported version, bad layout) gets its FATAL, as there.
 */
public final class FrontendDecoder extends ByteToMessageDecoder {
    /** Same limit as PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
    public static final int MAX_STARTUP_LENGTH = 10000;

    /**
     * The largest message (its length field) before {@link #authenticated()}: PostgreSQL reads
     * password and SASL messages with a limit of PG_MAX_AUTH_TOKEN_LENGTH (65535) body bytes.
     */
    public static final int MAX_PRE_AUTH_LENGTH = 65535 + 4;

    enum State {
        /** Int32 length (8..10000), Int32 code (version or request code), body. */
        STARTUP,
        /** Byte1 type, Int32 length (counts itself, 4..max), body: emitted as Frames. */
        MESSAGES,
        /** After a CancelRequest or a violation: nothing more is read. */
        DONE
    }

    private final int maxMessageBytes;
    /** Until authentication completes, {@link #MAX_PRE_AUTH_LENGTH} (or less); then maxMessageBytes. */
    private int limit;
    private State state = State.STARTUP;

    public FrontendDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        this.limit = Math.min(maxMessageBytes, MAX_PRE_AUTH_LENGTH);
    }

    /**
     * The client is authenticated: from now on a message may be as large as the configured
     * maximum. Before this, an unauthenticated peer cannot make the proxy buffer more than
     * about 64 KB per connection (the length is checked before any body is buffered).
     */
    public void authenticated() {
        limit = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case STARTUP -> decodeStartup(in, out);
            case MESSAGES -> decodeMessage(in, out);
            case DONE -> in.skipBytes(in.readableBytes());
        }
    }

    private void decodeStartup(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length > MAX_STARTUP_LENGTH) {
            // A Terminate ('X', length 4) before the startup packet reads as a length of ~1.4 GB.
            throw ProtocolException.unanswered("invalid length of startup packet");
        }
        if (in.readableBytes() < length) {
            return;
        }
        int code = in.getInt(in.readerIndex() + 4);
        ByteBuf body = in.slice(in.readerIndex() + 8, length - 8);
        StartupPacket packet = switch (code) {
            case StartupPacket.SSL_REQUEST_CODE -> encryptionRequest(SslRequest.INSTANCE, length, "SSL");
            case StartupPacket.GSSENC_REQUEST_CODE -> encryptionRequest(GssEncRequest.INSTANCE, length, "GSSAPI encryption");
            case StartupPacket.CANCEL_REQUEST_CODE -> cancelRequest(length, body);
            default -> startupMessage(code, body);
        };
        in.skipBytes(length);
        if ((packet == SslRequest.INSTANCE || packet == GssEncRequest.INSTANCE) && in.isReadable()) {
            String what = packet == SslRequest.INSTANCE ? "SSL" : "GSSAPI encryption";
            throw ProtocolException.violation("received unencrypted data after " + what + " request");
        }
        out.add(packet);
    }

    private StartupPacket encryptionRequest(StartupPacket packet, int length, String what) {
        if (length != 8) {
            throw ProtocolException.unanswered("invalid length of " + what + " request");
        }
        return packet;
    }

    private StartupPacket cancelRequest(int length, ByteBuf body) {
        if (length < 16 || length > 12 + CancelRequest.MAX_KEY_LENGTH) {
            throw ProtocolException.unanswered("invalid length of cancel request packet");
        }
        state = State.DONE;
        return CancelRequest.decode(body);
    }

    private StartupPacket startupMessage(int version, ByteBuf body) {
        if (version >>> 16 != 3) {
            throw new ProtocolException(SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol "
                    + (version >>> 16) + "." + (version & 0xFFFF) + ": server supports 3.0 to 3.0");
        }
        StartupMessage message = StartupMessage.decode(version, body);
        state = State.MESSAGES;
        return message;
    }

    private void decodeMessage(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 5) {
            return;
        }
        int length = in.getInt(in.readerIndex() + 1);
        if (length < 4) {
            throw ProtocolException.violation("invalid message length");
        }
        if (length > limit) {
            throw ProtocolException.violation("message of " + length + " bytes exceeds the limit of " + limit
                    + " bytes" + (limit < maxMessageBytes ? " before authentication" : ""));
        }
        if (in.readableBytes() - 1 < length) {
            return;
        }
        out.add(new Frame(in.readRetainedSlice(length + 1)));
    }

    /** A violation is reported once; whatever follows it is dropped unread. */
    @Override
    protected void callDecode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            super.callDecode(ctx, in, out);
        } catch (ProtocolException e) {
            state = State.DONE;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
