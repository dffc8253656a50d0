package dev.meridian.proxy.tls;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendTlsMode;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * TLS towards one backend, with libpq's sslmode meanings: {@code prefer} and {@code require}
 * encrypt without checking the certificate; {@code verify-ca} checks it against {@code ca};
 * {@code verify-full} also checks that it names the host.
 */
public final class BackendTls {
    private BackendTls() {
    }

    /** The client context for a backend, or null for {@code disable}. */
    public static SslContext contextFor(BackendConfig backend) throws IOException {
        BackendTlsMode mode = backend.tls().mode();
        if (mode == BackendTlsMode.DISABLE) {
            return null;
        }
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (mode == BackendTlsMode.VERIFY_CA || mode == BackendTlsMode.VERIFY_FULL) {
                b.trustManager(backend.tls().ca().toFile());
            } else {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            // Netty 4.2 checks host names by default; only verify-full asks for it.
            b.endpointIdentificationAlgorithm(mode == BackendTlsMode.VERIFY_FULL ? "HTTPS" : null);
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("backend " + backend.name() + ": cannot use tls.ca " + backend.tls().ca()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Whether the backend must not be used in plaintext when it answers 'N'. */
    public static boolean required(BackendTlsMode mode) {
        return mode != BackendTlsMode.DISABLE && mode != BackendTlsMode.PREFER;
    }
}
