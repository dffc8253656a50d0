package dev.meridian.proxy.readrouting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.readrouting.ReadChoice.Decision;
import dev.meridian.proxy.readrouting.ReadChoice.Replica;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lsn, ReadChoice, ReplicaLag, MinLsnSetting: the pure parts of read routing. */
class ReadRoutingLogicTest {
    private static final Replica NEAR = new Replica("sin-1", 100, 0.5);
    private static final Replica FAR = new Replica("lhr-1", 300, 0.1);

    @Test
    void lsnTextRoundTrips() {
        assertThat(Lsn.parse("0/16B3748")).isEqualTo(0x16B3748L);
        assertThat(Lsn.parse("1/0")).isEqualTo(1L << 32);
        assertThat(Lsn.format(Lsn.parse("A/FF00"))).isEqualTo("A/FF00");
        assertThat(Lsn.parseOrNull("16B3748")).isNull();
        assertThat(Lsn.parseOrNull("x/1")).isNull();
        assertThat(Lsn.parseOrNull("/1")).isNull();
        assertThatThrownBy(() -> Lsn.parse("1/123456789")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesGoToThePrimary() {
        assertThat(ReadChoice.choose(false, List.of(NEAR), 10, -1).decision()).isEqualTo(Decision.PRIMARY_WRITE);
    }

    @Test
    void aReadTakesTheFirstReplicaWithinTheLagAllowance() {
        assertThat(ReadChoice.choose(true, List.of(NEAR, FAR), 10, -1).replica()).isEqualTo(NEAR);
        assertThat(ReadChoice.choose(true, List.of(NEAR, FAR), 0.2, -1).replica()).isEqualTo(FAR);
        var none = ReadChoice.choose(true, List.of(NEAR, FAR), 0.05, -1);
        assertThat(none.decision()).isEqualTo(Decision.PRIMARY_LAGGING);
        assertThat(none.replica()).isNull();
        assertThat(ReadChoice.choose(true, List.of(), 10, -1).decision()).isEqualTo(Decision.PRIMARY_LAGGING);
    }

    @Test
    void aReplicaWhoseLagIsUnknownTakesNoReads() {
        Replica unmeasured = new Replica("sin-1", 100, Double.NaN);
        assertThat(ReadChoice.choose(true, List.of(unmeasured), 10, -1).decision()).isEqualTo(Decision.PRIMARY_LAGGING);
    }

    @Test
    void aReadAfterAWriteNeedsAReplicaThatReplayedIt() {
        assertThat(ReadChoice.choose(true, List.of(NEAR, FAR), 10, 200).replica()).isEqualTo(FAR);
        assertThat(ReadChoice.choose(true, List.of(NEAR, FAR), 10, 100).replica()).isEqualTo(NEAR);
        var causal = ReadChoice.choose(true, List.of(NEAR, FAR), 10, 301);
        assertThat(causal.decision()).isEqualTo(Decision.PRIMARY_CAUSAL);
        assertThat(causal.behind()).isEqualTo(NEAR);
    }

    @Test
    void aReplicaAtThePrimarysPositionHasNoLagHoweverOldItsLastCommit() {
        ReplicaLag lag = new ReplicaLag();
        lag.primaryAt(0, 1000);
        lag.primaryAt(2_000_000_000L, 1000); // idle primary
        assertThat(lag.seconds(1000, 3_000_000_000L, 3600)).isZero();
        // The primary's checks stopped 58 s ago: caught up with a stale position says little; the
        // replica's replay clock (bounded by the 58 s) is the lag.
        assertThat(lag.seconds(1000, 60_000_000_000L, 2.0)).isEqualTo(2.0);
        assertThat(lag.seconds(1000, 60_000_000_000L, 3600)).isEqualTo(58.0);
        assertThat(lag.seconds(1000, 60_000_000_000L, Double.NaN)).isEqualTo(58.0);
    }

    @Test
    void aReplicaBehindLiesBetweenTheSamplesAroundItsPosition() {
        ReplicaLag lag = new ReplicaLag();
        lag.primaryAt(0, 1000);
        lag.primaryAt(2_000_000_000L, 2000);
        lag.primaryAt(4_000_000_000L, 3000);
        // replayed 2500 at t=5s: has everything of t=2s, misses some of t=4s: between 1 and 3 seconds
        assertThat(lag.seconds(2500, 5_000_000_000L, Double.NaN)).isEqualTo(3.0);
        assertThat(lag.seconds(2500, 5_000_000_000L, 1.5)).isEqualTo(1.5);
        assertThat(lag.seconds(2500, 5_000_000_000L, 0.1)).isEqualTo(1.0);
        assertThat(lag.seconds(2500, 5_000_000_000L, 100)).isEqualTo(3.0);
        assertThat(lag.seconds(500, 5_000_000_000L, Double.NaN)).isInfinite();
        assertThat(new ReplicaLag().seconds(500, 0, 1)).isNaN();
    }

    @Test
    void positionsKeepTheNewestReplayAndComputeLagPerCluster() {
        WalPositions p = new WalPositions();
        p.observed("iad-1", false, "42", 5000, null, 0);
        p.observed("sin-1", true, "42", 5000, 1.0, 1_000_000_000L);
        assertThat(p.of("sin-1").lag()).isZero();
        p.replayed("sin-1", 7000);
        assertThat(p.of("sin-1").lsn()).isEqualTo(7000);
        p.replayed("sin-1", 6000);
        assertThat(p.of("sin-1").lsn()).isEqualTo(7000);
        assertThat(p.of("nope").lsn()).isEqualTo(-1);
        assertThat(p.of("nope").lag()).isNaN();
    }

    @Test
    void setMinLsnIsRecognizedInItsSpellings() {
        assertThat(MinLsnSetting.of("SET meridian.min_lsn = '0/16B3748'").lsn()).isEqualTo(0x16B3748L);
        assertThat(MinLsnSetting.of("set meridian.min_lsn to '1/0';").lsn()).isEqualTo(1L << 32);
        assertThat(MinLsnSetting.of("SET SESSION meridian.min_lsn=0/10").lsn()).isEqualTo(0x10);
        assertThat(MinLsnSetting.of("SET meridian.min_lsn = 'soon'").error())
                .isEqualTo("invalid value for parameter \"meridian.min_lsn\": \"soon\" (a WAL position X/Y, e.g. 0/16B3748)");
        assertThat(MinLsnSetting.of("SET search_path = x")).isNull();
        assertThat(MinLsnSetting.of("SET meridian.min_lsn = '0/1'; SELECT 1")).isNull();
    }
}
