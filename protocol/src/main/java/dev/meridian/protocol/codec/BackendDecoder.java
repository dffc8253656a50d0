package dev.meridian.protocol.codec;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.BackendMessage;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.NegotiateProtocolVersion;
import dev.meridian.protocol.message.NoticeResponse;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes what a server sends to a client: Byte1 type, Int32 length (counts itself), body.
 * The messages the proxy reads while logging in (Authentication*, BackendKeyData,
 * ParameterStatus, ReadyForQuery, ErrorResponse, NoticeResponse, NegotiateProtocolVersion)
 * become {@link BackendMessage} records; any other type becomes a retained-slice {@link Frame}.
 */
public final class BackendDecoder extends ByteToMessageDecoder {
    private final int maxMessageBytes;
    private boolean failed;

    public BackendDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 5) {
            return;
        }
        byte type = in.getByte(in.readerIndex());
        int length = in.getInt(in.readerIndex() + 1);
        if (length < 4 || length > maxMessageBytes) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw ProtocolException.violation("invalid message length " + length + " from server");
        }
        if (in.readableBytes() - 1 < length) {
            return;
        }
        BackendMessage message = readControl(type, in.slice(in.readerIndex() + 5, length - 4));
        if (message != null) {
            in.skipBytes(length + 1);
            out.add(message);
        } else {
            out.add(new Frame(in.readRetainedSlice(length + 1)));
        }
    }

    private BackendMessage readControl(byte type, ByteBuf body) {
        try {
            return switch (type) {
                case BackendMessage.AUTHENTICATION -> Authentication.decode(body);
                case BackendMessage.BACKEND_KEY_DATA -> BackendKeyData.decode(body);
                case BackendMessage.PARAMETER_STATUS -> ParameterStatus.decode(body);
                case BackendMessage.READY_FOR_QUERY -> ReadyForQuery.decode(body);
                case BackendMessage.ERROR_RESPONSE -> ErrorResponse.decode(body);
                case BackendMessage.NOTICE_RESPONSE -> NoticeResponse.decode(body);
                case BackendMessage.NEGOTIATE_PROTOCOL_VERSION -> NegotiateProtocolVersion.decode(body);
                default -> null;
            };
        } catch (IndexOutOfBoundsException e) {
            failed = true;
            throw ProtocolException.violation("malformed '" + (char) type + "' message from server");
        }
    }

    /**
     * A violation is reported once; whatever follows it is dropped unread. This also covers the
     * ProtocolExceptions the message records throw themselves (bad string, bad status...).
     */
    @Override
    protected void callDecode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            super.callDecode(ctx, in, out);
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
