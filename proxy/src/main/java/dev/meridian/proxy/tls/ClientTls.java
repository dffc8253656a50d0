package dev.meridian.proxy.tls;

import dev.meridian.protocol.auth.ChannelBinding;
import dev.meridian.proxy.config.ClientTlsMode;
import dev.meridian.proxy.config.FileChangeCheck;
import dev.meridian.proxy.config.TlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS towards clients: the server certificate and key from PEM files, re-read when either
 * file changes (checked at most once a second, when a handshake starts), so certificates
 * rotate without a restart. ALPN offers {@code postgresql}, which PostgreSQL 17 clients send and
 * which direct TLS requires. A reload that fails keeps the previous certificate serving.
 */
public final class ClientTls {
    public static final String ALPN_POSTGRESQL = "postgresql";
    private static final Logger LOG = LoggerFactory.getLogger(ClientTls.class);
    private record Loaded(SslContext context, ChannelBinding binding) {
    }

    private final TlsConfig config;
    private final FileChangeCheck changes;
    private volatile Loaded loaded;

    private ClientTls(TlsConfig config, Loaded loaded) throws IOException {
        this.config = config;
        this.changes = new FileChangeCheck(config.cert(), config.key());
        this.loaded = loaded;
    }

    /** Loads the certificate and key; a failure here is a startup error naming the files. */
    public static ClientTls load(TlsConfig config) throws IOException {
        return new ClientTls(config, read(config));
    }

    public ClientTlsMode mode() {
        return config.mode();
    }

    public SslHandler newHandler(ByteBufAllocator alloc) {
        reloadIfChanged();
        return loaded.context().newHandler(alloc);
    }

    /** The tls-server-end-point binding data of the certificate clients currently see. */
    public ChannelBinding channelBinding() {
        return loaded.binding();
    }

    private void reloadIfChanged() {
        try {
            if (changes.changed()) {
                loaded = read(config);
                LOG.info("TLS certificate {} reloaded", config.cert());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("TLS certificate {} not reloaded, the previous one keeps serving: {}", config.cert(), e.getMessage());
        }
    }

    private static Loaded read(TlsConfig config) throws IOException {
        try {
            KeyPairCheck.requireMatch(config.cert().toFile(), config.key().toFile());
            SslContext context = SslContextBuilder.forServer(config.cert().toFile(), config.key().toFile())
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ALPN_POSTGRESQL))
                    .build();
            return new Loaded(context, ChannelBinding.tlsServerEndPoint(firstCertificate(config)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IOException("cannot use TLS certificate " + config.cert() + " / key " + config.key()
                    + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate firstCertificate(TlsConfig config) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(config.cert())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
