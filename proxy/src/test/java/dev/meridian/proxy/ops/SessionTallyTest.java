package dev.meridian.proxy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionTallyTest {
    @Test
    void aQueryOutsideATransactionIsOneQueryAndOneTransaction() {
        SessionTally t = new SessionTally();
        t.clientMessage((byte) 'Q');
        t.ready('I');
        assertThat(t.get(SessionTally.QUERIES)).isEqualTo(1);
        assertThat(t.get(SessionTally.XACTS)).isEqualTo(1);
        assertThat(t.get(SessionTally.QUERY_NANOS)).isNotNegative();
        assertThat(t.get(SessionTally.XACT_NANOS)).isEqualTo(t.get(SessionTally.QUERY_NANOS));
    }

    @Test
    void aTransactionEndsAtTheReadyForQueryThatSaysIdle() {
        SessionTally t = new SessionTally();
        for (int status : new int[] {'T', 'T', 'T', 'I'}) { // BEGIN, two statements, COMMIT
            t.clientMessage((byte) 'Q');
            t.ready(status);
        }
        assertThat(t.get(SessionTally.QUERIES)).isEqualTo(4);
        assertThat(t.get(SessionTally.XACTS)).isEqualTo(1);
        assertThat(t.get(SessionTally.XACT_NANOS)).isGreaterThanOrEqualTo(t.get(SessionTally.QUERY_NANOS));
    }

    @Test
    void extendedProtocolCountsOneQueryPerSyncAndPipelinedBatchesEachCount() {
        SessionTally t = new SessionTally();
        for (byte type : "PBDES".getBytes()) {
            t.clientMessage(type);
        }
        for (byte type : "BES".getBytes()) {
            t.clientMessage(type);
        }
        t.ready('I');
        t.ready('I');
        assertThat(t.get(SessionTally.QUERIES)).isEqualTo(2);
        assertThat(t.get(SessionTally.XACTS)).isEqualTo(2);
    }

    @Test
    void anUnaskedReadyForQueryAndCopyDataCountNothing() {
        SessionTally t = new SessionTally();
        t.ready('I');
        t.clientMessage((byte) 'd');
        t.clientMessage((byte) 'c');
        assertThat(t.get(SessionTally.QUERIES)).isZero();
        assertThat(t.get(SessionTally.XACTS)).isZero();
    }

    @Test
    void bytesAddUp() {
        SessionTally t = new SessionTally();
        t.received(10);
        t.received(5);
        t.sent(100);
        assertThat(t.get(SessionTally.RECEIVED)).isEqualTo(15);
        assertThat(t.get(SessionTally.SENT)).isEqualTo(100);
    }

    @Test
    void endedSessionsAndLiveOnesSumPerDatabase() {
        SessionStats stats = new SessionStats();
        SessionTally a = stats.started("orders", 2_000_000);
        SessionTally b = stats.started("orders", 4_000_000);
        a.clientMessage((byte) 'Q');
        a.ready('I');
        a.received(7);
        stats.ended("orders", a);
        b.sent(3);
        StatsTotals t = stats.totals().get(0);
        assertThat(t.database()).isEqualTo("orders");
        assertThat(t.queryCount()).isEqualTo(1);
        assertThat(t.received()).isEqualTo(7);
        assertThat(t.sent()).isEqualTo(3);
        assertThat(t.waitMicros()).isEqualTo(6000);
        assertThat(t.waits()).isEqualTo(2);
        stats.ended("orders", a); // twice: not counted again
        assertThat(stats.totals().get(0).queryCount()).isEqualTo(1);
        assertThat(stats.seen("orders")).isTrue();
        assertThat(stats.seen("nosuchdb")).isFalse();
    }
}
