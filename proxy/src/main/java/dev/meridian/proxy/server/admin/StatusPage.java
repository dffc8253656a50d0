package dev.meridian.proxy.server.admin;

import dev.meridian.proxy.session.ProxyContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The status page on the admin port: {@code /} is one self-contained HTML page (inline CSS,
 * script and a map drawn as SVG from the regions' lat/lon; nothing fetched from elsewhere) that
 * polls {@code /status.json} every two seconds.
 */
public final class StatusPage {
    private static final byte[] HTML = load();

    private StatusPage() {
    }

    public static void install(AdminServer admin, ProxyContext proxy) {
        admin.route("/", req -> new AdminResponse(200, "text/html; charset=utf-8", HTML));
        admin.route("/status.json", req -> AdminResponse.json(200, StatusJson.render(proxy)));
    }

    private static byte[] load() {
        try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
