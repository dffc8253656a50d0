package dev.meridian.proxy.session;

import dev.meridian.proxy.auth.FailedLogins;
import dev.meridian.proxy.config.FailureBackoff;
import dev.meridian.proxy.config.Units;
import dev.meridian.proxy.routing.ClientAddress;
import io.netty.channel.Channel;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth.failure_backoff} for one login: the client is counted by its real address (the
 * PROXY header's source when there was one, else the TCP peer); a connection without an IP
 * address is never delayed.
 */
final class LoginBackoff {
    private static final Logger LOG = LoggerFactory.getLogger(LoginBackoff.class);

    private LoginBackoff() {
    }

    /** Counts a failed login of the client on {@code ch}; how late its answer must go out. */
    static Duration failed(ProxyContext proxy, FailureBackoff policy, Channel ch) {
        ClientAddress client = ClientAddresses.of(ch);
        if (client == null) {
            return Duration.ZERO;
        }
        FailedLogins.Verdict verdict = proxy.failedLogins().failed(client.address(), policy);
        if (verdict.startsBackoff(policy)) {
            LOG.info("client {}: {} failed logins; its further failures are answered {} to {} late",
                    client.text(), verdict.failures(), Units.formatDuration(policy.initial()),
                    Units.formatDuration(policy.max()));
        }
        return verdict.delay();
    }

    /** The client on {@code ch} logged in: its earlier failures are forgiven. */
    static void succeeded(ProxyContext proxy, Channel ch) {
        ClientAddress client = ClientAddresses.of(ch);
        if (client != null) {
            proxy.failedLogins().succeeded(client.address());
        }
    }
}
