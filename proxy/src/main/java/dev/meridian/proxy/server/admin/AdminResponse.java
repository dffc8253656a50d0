package dev.meridian.proxy.server.admin;

import java.nio.charset.StandardCharsets;

/** One HTTP answer of the admin endpoint. */
public record AdminResponse(int status, String contentType, byte[] body) {
    public static AdminResponse text(int status, String text) {
        return new AdminResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static AdminResponse json(int status, String json) {
        return new AdminResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}
