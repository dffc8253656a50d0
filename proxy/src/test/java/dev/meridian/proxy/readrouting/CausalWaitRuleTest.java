package dev.meridian.proxy.readrouting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.readrouting.ReadChoice.Decision;
import dev.meridian.proxy.readrouting.ReadChoice.Replica;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReadChoice.worthWaitingFor: which replica a read past every known replay position waits for (health.causal_wait). */
class CausalWaitRuleTest {
    private static final Replica NEAR = new Replica("near", 100, 0.03);
    private static final Replica FAR = new Replica("far", 90, 0.01);

    @Test
    void theBestReplicaWithinTheLagAllowanceIsAskedWhenItsLagIsWithinTheWait() {
        ReadChoice.Result r = ReadChoice.choose(true, List.of(NEAR, FAR), 10, 200);
        assertThat(r.decision()).isEqualTo(Decision.PRIMARY_CAUSAL);
        assertThat(ReadChoice.worthWaitingFor(r, 0.05)).isEqualTo(NEAR);
        assertThat(ReadChoice.worthWaitingFor(r, 0.03)).as("lag equal to the wait").isEqualTo(NEAR);
    }

    @Test
    void aReplicaFurtherBehindThanTheWaitIsNotAsked() {
        ReadChoice.Result r = ReadChoice.choose(true, List.of(NEAR, FAR), 10, 200);
        assertThat(ReadChoice.worthWaitingFor(r, 0.02)).as("not the next one either: the best is not worth it").isNull();
    }

    @Test
    void aZeroWaitNeverWaits() {
        assertThat(ReadChoice.worthWaitingFor(ReadChoice.choose(true, List.of(new Replica("r", 1, 0)), 10, 200), 0))
                .isNull();
    }

    @Test
    void nothingToWaitForWhenAReplicaHasTheFloorOrNoneIsWithinTheLagAllowance() {
        assertThat(ReadChoice.worthWaitingFor(ReadChoice.choose(true, List.of(NEAR), 10, 50), 1)).isNull();
        assertThat(ReadChoice.worthWaitingFor(ReadChoice.choose(true, List.of(NEAR), 0.001, 200), 1)).isNull();
        assertThat(ReadChoice.worthWaitingFor(ReadChoice.choose(false, List.of(NEAR), 10, 200), 1)).isNull();
    }
}
