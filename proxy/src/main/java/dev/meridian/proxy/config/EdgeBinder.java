package dev.meridian.proxy.config;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;

/** Binds {@code edge:} (absent: no edge listener). */
final class EdgeBinder {
    private EdgeBinder() {
    }

    static EdgeConfig bind(Node node, ListenConfig listen, AdminConfig admin) {
        if (node.isAbsent()) {
            return null;
        }
        Fields f = Fields.of(node, "listen", "trusted_proxies", "cors_origins", "jwt", "limits");
        Fields l = Fields.of(f.node("listen"), "host", "port");
        String host = l.string("host", "0.0.0.0");
        int port = l.integer("port", 8443, 0, 65535);
        if (port != 0 && (port == listen.port() || port == admin.port())) {
            l.problem("port", "must differ from listen.port and admin.port");
        }
        return new EdgeConfig(host, port, ServerBinder.cidrs(f.node("trusted_proxies"), false), f.strings("cors_origins"), jwt(f.node("jwt")),
                limits(f.node("limits")));
    }

    private static EdgeJwtConfig jwt(Node node) {
        if (node.isAbsent()) {
            return null;
        }
        Fields f = Fields.of(node, "keys", "issuer", "audience", "role_claim");
        Path keys = f.requiredFile("keys");
        String issuer = f.string("issuer");
        String audience = f.string("audience");
        String roleClaim = f.string("role_claim", "role");
        if (keys == null) {
            return null;
        }
        try {
            JWKSet set = JWKSet.load(keys.toFile());
            if (set.getKeys().isEmpty()) {
                f.problem("keys", "the JWKS file " + keys + " holds no keys");
                return null;
            }
            return new EdgeJwtConfig(keys, set, issuer, audience, roleClaim);
        } catch (IOException | ParseException e) {
            f.problem("keys", "not a JWKS file (" + e.getMessage() + ")");
            return null;
        }
    }

    private static EdgeConfig.Limits limits(Node node) {
        EdgeConfig.Limits d = EdgeConfig.Limits.DEFAULT;
        Fields f = Fields.of(node, "max_request_bytes", "max_response_bytes", "request_timeout",
                "max_concurrent_requests");
        return new EdgeConfig.Limits(
                f.size("max_request_bytes", d.maxRequestBytes(), 1024, Integer.MAX_VALUE),
                f.size("max_response_bytes", d.maxResponseBytes(), 1024, Integer.MAX_VALUE),
                f.duration("request_timeout", d.requestTimeout(), false),
                f.integer("max_concurrent_requests", d.maxConcurrentRequests(), 1, 1_000_000));
    }
}
