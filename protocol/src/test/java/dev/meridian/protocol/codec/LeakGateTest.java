package dev.meridian.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The build-wide leak gate fails a class that leaks, and only such a class. */
class LeakGateTest {
    @Test
    void gateIsConfiguredForThisRun() {
        LeakGateProof.assertGateConfigured();
    }

    @Test
    void aDroppedBufferFailsTheClassThatDroppedIt() {
        LeakGateProof.assertFailedByTheGate(DropsABuffer.class, "dropsADirectBuffer");
    }

    @Test
    void aClassThatReleasesEverythingPasses() {
        LeakGateProof.assertPassed(ReleasesItsBuffer.class);
    }

    @ExtendWith(LeakGateProof.OnlyInsideTheProof.class)
    static class DropsABuffer {
        @Test
        void dropsADirectBuffer() {
            ByteBuf lost = Unpooled.directBuffer(8).writeLong(42);
            lost.touch("dropped on purpose");
        }
    }

    @ExtendWith(LeakGateProof.OnlyInsideTheProof.class)
    static class ReleasesItsBuffer {
        @Test
        void releasesADirectBuffer() {
            Unpooled.directBuffer(8).writeLong(42).release();
        }
    }
}
