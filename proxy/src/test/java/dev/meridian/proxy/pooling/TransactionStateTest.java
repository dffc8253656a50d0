package dev.meridian.proxy.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a transaction-pooled connection may go back, from message types alone. */
class TransactionStateTest {
    private final TransactionState s = new TransactionState();
    /** With protocol-level named statements shared across connections (the default). */
    private final TransactionState shared = new TransactionState(true);

    private void ready(char status) {
        s.backendSent((byte) 'Z', status);
    }

    private void query(String sql) {
        s.query(sql);
        s.clientSent((byte) 'Q');
    }

    @Test
    void aSimpleQueryHoldsTheConnectionUntilItsReadyForQuery() {
        assertThat(s.releasable()).isTrue();
        query("SELECT 1");
        assertThat(s.releasable()).isFalse();
        assertThat(s.busy()).isTrue();
        ready('I');
        assertThat(s.releasable()).isTrue();
    }

    @Test
    void aTransactionBlockHoldsItUntilCommit() {
        query("BEGIN");
        ready('T');
        assertThat(s.releasable()).isFalse();
        assertThat(s.idleInTransaction()).isTrue();
        query("COMMIT");
        ready('I');
        assertThat(s.releasable()).isTrue();
    }

    @Test
    void pipelinedBatchesHoldItUntilTheLastSync() {
        for (char c : "PBDES".toCharArray()) {
            s.clientSent((byte) c);
        }
        for (char c : "PBES".toCharArray()) {
            s.clientSent((byte) c);
        }
        ready('I');
        assertThat(s.releasable()).isFalse();
        ready('I');
        assertThat(s.releasable()).isTrue();
    }

    @Test
    void aFlushWithoutSyncHoldsIt() {
        s.parse("", "SELECT 1");
        for (char c : "PBEH".toCharArray()) {
            s.clientSent((byte) c);
        }
        assertThat(s.releasable()).isFalse();
        s.clientSent((byte) 'S');
        ready('I');
        assertThat(s.releasable()).isTrue();
    }

    @Test
    void anErrorInABatchIsSettledByItsSync() {
        for (char c : "PBESPBES".toCharArray()) {
            s.clientSent((byte) c);
        }
        s.backendSent((byte) 'E', 'S');
        ready('I');
        assertThat(s.releasable()).isFalse();
        ready('I');
        assertThat(s.releasable()).isTrue();
    }

    @Test
    void copyKeepsItUntilTheQueryIsAnswered() {
        query("COPY t FROM STDIN");
        s.clientSent((byte) 'd');
        s.clientSent((byte) 'c');
        assertThat(s.releasable()).isFalse();
        ready('I');
        assertThat(s.releasable()).isTrue();
    }

    @Test
    void theReasonsShownToOtherThreadsFollowPinsAndUnpins() {
        assertThat(s.pinShown()).isEmpty();
        query("LISTEN jobs");
        assertThat(s.pinShown()).isEqualTo("listen");
        ready('I');
        s.functionCall();
        s.clientSent((byte) 'F');
        ready('I');
        assertThat(s.pinShown()).isEqualTo(s.pinText()).contains("listen");
        query("DISCARD ALL");
        assertThat(s.pinShown()).as("an unpin waits for its answer").isEqualTo(s.pinText());
        ready('I');
        assertThat(s.pinShown()).isEmpty();
        assertThat(s.pinText()).isEmpty();
    }

    @Test
    void aPinHoldsUntilItsStateIsProvablyGone() {
        query("LISTEN jobs");
        ready('I');
        assertThat(s.releasable()).isFalse();
        assertThat(s.pinText()).isEqualTo("listen");
        query("UNLISTEN *");
        ready('I');
        assertThat(s.releasable()).isTrue();
    }

    @Test
    void anUnpinThatFailsOrRunsInATransactionBlockKeepsThePin() {
        query("SELECT pg_advisory_lock(1)");
        ready('I');
        query("BEGIN");
        ready('T');
        query("DISCARD ALL");
        s.backendSent((byte) 'E', 'S');
        ready('E');
        query("ROLLBACK");
        ready('I');
        assertThat(s.pinned()).isTrue();
    }

    @Test
    void aPinAfterAnUnpinInOneRequestSurvives() {
        query("LISTEN a");
        query("DISCARD ALL");
        query("LISTEN b");
        ready('I');
        ready('I');
        ready('I');
        assertThat(s.pinText()).isEqualTo("listen");
    }

    @Test
    void sharedNamedStatementsDoNotPin() {
        assertThat(shared.parse("s1", "SELECT 1")).isEmpty();
        assertThat(shared.pinned()).isFalse();
        assertThat(shared.sharesStatements()).isTrue();
    }

    @Test
    void aNamedStatementPinsWhenNotSharedAnUnnamedOneDoesNot() {
        s.parse("", "SELECT 1");
        assertThat(s.pinned()).isFalse();
        s.parse("s1", "SELECT 1");
        assertThat(s.pinText()).isEqualTo("named_statement");
    }

    @Test
    void plainSetsOutsideATransactionAreFollowedNotPinned() {
        query("SET search_path = app");
        ready('I');
        query("SET TIME ZONE 'UTC'");
        ready('I');
        assertThat(s.pinned()).isFalse();
        assertThat(s.settings()).isEqualTo(Map.of("search_path", "SET search_path = app",
                "timezone", "SET TIME ZONE 'UTC'"));
        query("RESET search_path");
        ready('I');
        assertThat(s.settings()).containsOnlyKeys("timezone");
        query("RESET ALL");
        ready('I');
        assertThat(s.settings()).isEmpty();
    }

    @Test
    void aResetCustomSettingStaysAnEmptyPlaceholderAsInSessionMode() {
        query("SET x.y = 'v'");
        ready('I');
        query("RESET x.y");
        ready('I');
        assertThat(s.settings()).isEqualTo(Map.of("x.y", "RESET x.y"));
        query("SET search_path = app");
        ready('I');
        query("RESET ALL");
        ready('I');
        assertThat(s.settings()).isEqualTo(Map.of("x.y", "RESET x.y"));
    }

    @Test
    void aFailedSetChangesNothingButPinsWhenItsEffectIsUnclear() {
        query("SET search_path = app");
        s.backendSent((byte) 'E', 'S');
        ready('I');
        assertThat(s.settings()).isEmpty();
        assertThat(s.pinText()).isEqualTo("set");
    }

    @Test
    void aSetInsideATransactionBlockPins() {
        query("BEGIN");
        ready('T');
        query("SET search_path = app");
        ready('T');
        assertThat(s.pinText()).isEqualTo("set");
        assertThat(s.settings()).isEmpty();
    }

    @Test
    void resetAllEndsASetPin() {
        query("BEGIN");
        ready('T');
        query("SET search_path = app");
        query("COMMIT");
        ready('T');
        ready('I');
        assertThat(s.pinText()).isEqualTo("set");
        query("RESET ALL");
        ready('I');
        assertThat(s.pinned()).isFalse();
        assertThat(s.settings()).isEmpty();
    }

    @Test
    void replayStartsFromTheSessionsStartupValues() {
        assertThat(SessionSettings.replay(Map.of("a", "SET a = 1;"))).isEqualTo("RESET ALL;\nSET a = 1");
    }

    /** Parse/Bind/Execute/Sync (or only Bind/Execute/Sync for {@code parse} null), answered 'I'. */
    private void extended(TransactionState t, String name, String parse) {
        if (parse != null) {
            t.parse(name, parse);
            t.clientSent((byte) 'P');
        }
        t.bind(name);
        t.clientSent((byte) 'B');
        t.clientSent((byte) 'E');
        t.clientSent((byte) 'S');
        t.backendSent((byte) 'Z', 'I');
    }

    @Test
    void aNamedStatementRunAgainWithoutParsePinsAgain() {
        extended(shared, "S_1", "SELECT pg_advisory_lock($1)");
        extended(shared, "S_2", "SELECT pg_advisory_unlock_all()");
        assertThat(shared.pinned()).isFalse();
        extended(shared, "S_1", null);
        assertThat(shared.pinText()).isEqualTo("advisory_lock");
        extended(shared, "S_2", null);
        assertThat(shared.pinned()).isFalse();
    }

    @Test
    void aNamedSetOrResetRunAgainIsFollowedAgain() {
        extended(shared, "S_1", "SET search_path = app");
        extended(shared, "S_2", "RESET ALL");
        assertThat(shared.settings()).isEmpty();
        extended(shared, "S_1", null);
        assertThat(shared.settings()).isEqualTo(Map.of("search_path", "SET search_path = app"));
        extended(shared, "S_2", null);
        assertThat(shared.settings()).isEmpty();
        assertThat(shared.pinned()).isFalse();
    }

    @Test
    void aBindInTheRequestOfItsParseIsNotReadTwiceAndPlainStatementsAreNotKept() {
        extended(shared, "S_1", "SET search_path = app");
        assertThat(shared.pinned()).as("one SET in the request, not a SET followed by more").isFalse();
        extended(shared, "S_2", "SELECT 1");
        extended(shared, "S_2", null);
        assertThat(shared.bind("S_2")).isEmpty();
        assertThat(shared.pinned()).isFalse();
        extended(shared, "S_1", "SELECT 2"); // the name re-used for a plain text (after a Close)
        extended(shared, "S_1", null);
        assertThat(shared.settings()).isEqualTo(Map.of("search_path", "SET search_path = app"));
    }

    @Test
    void aCloseAheadOfASetInItsRequestStillLetsItBeFollowed() {
        // pgjdbc sends Close of statements it dropped in front of its next request
        extended(shared, "S_1", "SET search_path = app");
        shared.clientSent((byte) 'C');
        extended(shared, "S_2", "RESET ALL");
        assertThat(shared.settings()).isEmpty();
        assertThat(shared.pinned()).isFalse();
    }

    @Test
    void aSetAfterAStatementThatRanInTheSameBatchPins() {
        s.parse("", "SELECT 1");
        s.clientSent((byte) 'P');
        s.clientSent((byte) 'B');
        s.clientSent((byte) 'E');
        s.parse("", "SET search_path = app");
        assertThat(s.pinText()).isEqualTo("set");
    }

    @Test
    void aClosedNamedStatementIsNotReadAgain() {
        extended(shared, "S_1", "SELECT pg_advisory_lock(1)");
        extended(shared, "S_2", "SELECT pg_advisory_unlock_all()");
        shared.close((byte) 'S', "S_1");
        assertThat(shared.bind("S_1")).isEmpty();
        assertThat(shared.pinned()).isFalse();
    }

    @Test
    void aResetInsideATransactionBlockOrAMultiStatementQueryPins() {
        query("SET search_path = app");
        ready('I');
        query("BEGIN");
        ready('T');
        query("RESET ALL"); // committed, it would leave the connection without the SET Meridian replays
        ready('T');
        query("COMMIT");
        ready('I');
        assertThat(s.pinText()).isEqualTo("set");
        query("RESET ALL");
        ready('I');
        assertThat(s.pinned()).isFalse();
        query("RESET search_path; SELECT 1");
        ready('I');
        assertThat(s.pinText()).isEqualTo("set");
    }

    @Test
    void resetRoleDoesNotPinForSettings() {
        query("BEGIN");
        ready('T');
        query("RESET ROLE");
        assertThat(s.pinned()).isFalse();
    }
}
