package dev.meridian.proxy.edge;

import dev.meridian.proxy.config.EdgeJwtConfig;

/** The verifier of the JWT settings in force, rebuilt only when a reload changes them. */
final class JwtVerifiers {
    private volatile EdgeJwtConfig config;
    private volatile JwtVerifier verifier;

    JwtVerifier forConfig(EdgeJwtConfig current) {
        if (current == null) {
            return null;
        }
        if (current != config) {
            synchronized (this) {
                if (current != config) {
                    verifier = new JwtVerifier(current);
                    config = current;
                }
            }
        }
        return verifier;
    }
}
