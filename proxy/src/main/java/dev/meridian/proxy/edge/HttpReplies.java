package dev.meridian.proxy.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The edge's JSON answers. Every refusal carries a SQLSTATE in {@code code}, as Neon's
 * {@code /sql} does, so the driver turns it into an error with {@code .code}.
 */
final class HttpReplies {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpReplies() {
    }

    static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, byte[] body) {
        ByteBuf content = alloc.buffer(body.length).writeBytes(body);
        return json(status, content);
    }

    static FullHttpResponse json(HttpResponseStatus status, ByteBuf content) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    /** {@code {"message": ..., "code": sqlState}}. */
    static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String sqlState, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("message", message);
        body.put("code", sqlState);
        return json(alloc, status, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }
}
