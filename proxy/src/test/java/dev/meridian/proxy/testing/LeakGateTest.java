package dev.meridian.proxy.testing;

import dev.meridian.protocol.codec.LeakGateProof;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leak gate from the protocol module's test-jar guards this module's tests too, and not
 * only for buffers: an unreleased HAProxyMessage (reference counted, tracked by its own
 * detector) fails its class.
 */
class LeakGateTest {
    @Test
    void gateIsConfiguredForThisModule() {
        LeakGateProof.assertGateConfigured();
    }

    @Test
    void anUnreleasedProxyHeaderFailsTheClass() {
        LeakGateProof.assertFailedByTheGate(DropsAProxyHeader.class, "dropsAnHaProxyMessage");
    }

    @ExtendWith(LeakGateProof.OnlyInsideTheProof.class)
    static class DropsAProxyHeader {
        @Test
        void dropsAnHaProxyMessage() {
            new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4,
                    "192.0.2.1", "192.0.2.2", 40000, 5432).touch("dropped on purpose");
        }
    }
}
