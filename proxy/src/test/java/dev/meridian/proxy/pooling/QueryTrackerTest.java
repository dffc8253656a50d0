package dev.meridian.proxy.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTrackerTest {
    private final QueryTracker t = new QueryTracker();

    private void client(String types) {
        types.chars().forEach(c -> t.clientSent((byte) c));
    }

    private void ready(char status) {
        t.backendSent((byte) 'Z', status);
    }

    @Test
    void freshSessionIsIdle() {
        assertThat(t.idle()).isTrue();
        assertThat(t.busy()).isFalse();
    }

    @Test
    void simpleQueryIsBusyUntilItsReadyForQuery() {
        client("Q");
        assertThat(t.idle()).isFalse();
        t.backendSent((byte) 'T', 0);
        t.backendSent((byte) 'D', 0);
        assertThat(t.busy()).isTrue();
        ready('I');
        assertThat(t.idle()).isTrue();
    }

    @Test
    void pipelinedQueriesNeedOneReadyForQueryEach() {
        client("QQ");
        ready('I');
        assertThat(t.idle()).isFalse();
        ready('I');
        assertThat(t.idle()).isTrue();
    }

    @Test
    void extendedProtocolIsUnsettledUntilSync() {
        client("PBDE");
        assertThat(t.idle()).isFalse();
        client("S");
        assertThat(t.idle()).isFalse();
        ready('I');
        assertThat(t.idle()).isTrue();
    }

    @Test
    void openOrFailedTransactionIsNotIdle() {
        client("Q");
        ready('T');
        assertThat(t.idle()).isFalse();
        client("Q");
        ready('E');
        assertThat(t.idle()).isFalse();
        client("Q");
        ready('I');
        assertThat(t.idle()).isTrue();
    }

    @Test
    void copyInProgressIsNotIdle() {
        client("Q");
        t.backendSent((byte) 'G', 0);
        client("dd");
        assertThat(t.idle()).isFalse();
        client("c");
        ready('I');
        assertThat(t.idle()).isTrue();
    }

    @Test
    void asyncNotificationsWhileIdleKeepItIdle() {
        t.backendSent((byte) 'A', 0);
        t.backendSent((byte) 'S', 0);
        assertThat(t.idle()).isTrue();
    }

    @Test
    void idleInTransactionOnlyWhenWaitingForTheClientInsideATransaction() {
        assertThat(t.idleInTransaction()).isFalse();
        client("Q");
        ready('T');
        assertThat(t.idleInTransaction()).isTrue();
        client("Q");
        assertThat(t.idleInTransaction()).as("a query is running").isFalse();
        ready('E');
        assertThat(t.idleInTransaction()).as("a failed transaction waits for ROLLBACK").isTrue();
        client("P");
        assertThat(t.idleInTransaction()).as("an unsynced batch is still coming").isFalse();
        client("S");
        ready('E');
        assertThat(t.idleInTransaction()).isTrue();
        client("Q");
        ready('I');
        assertThat(t.idleInTransaction()).isFalse();
        assertThat(t.idle()).isTrue();
    }
}
