package dev.meridian.proxy.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The statement bookkeeping of one client over connections, with the backend played by hand:
 * each test sends client messages, checks what goes to the backend, then feeds the backend's
 * answers through the {@link ReplyPlan} and checks what the client gets.
 */
class PreparedStatementsTest {
    private final ReplyPlan plan = new ReplyPlan();
    private final List<String> outcomes = new ArrayList<>();
    private final PreparedStatements ps = new PreparedStatements(plan, outcomes::add);
    private final ServerStatements conn1 = new ServerStatements(200);
    private final ServerStatements conn2 = new ServerStatements(200);
    /** What the client received, as type letters ('1', '2', 'E:42P05', ...). */
    private final List<String> client = new ArrayList<>();

    private static final StatementText Q1 = StatementText.of("SELECT 1");
    private static final StatementText Q2 = StatementText.of("SELECT 2");

    /** The backend sends a message of {@code type}; what the client sees is recorded. */
    private void backend(char type) {
        backend(type, 'I');
    }

    private void backend(char type, int status) {
        if (plan.begin((byte) type)) {
            client.add(String.valueOf(type));
        }
        plan.end(status);
        synths();
    }

    private void synths() {
        for (Synth s = plan.nextSynth(); s != null; s = plan.nextSynth()) {
            client.add(switch (s.type()) {
                case PARSE_COMPLETE -> "1";
                case CLOSE_COMPLETE -> "3";
                case ERROR -> "E:" + s.sqlState();
                case DEALLOCATE -> "C:DEALLOCATE,Z" + (char) s.status();
                case ERROR_READY -> "E:" + s.sqlState() + ",Z" + (char) s.status();
            });
        }
    }

    private static List<String> kinds(List<Step> steps) {
        return steps.stream().map(s -> s.type() + (s.name() == null ? "" : ":" + s.name())).toList();
    }

    private List<String> sync() {
        List<String> out = kinds(ps.other((byte) 'S'));
        synths();
        return out;
    }

    @Test
    void aNamedParseIsSentUnderAServerNameAndItsParseCompleteForwarded() {
        List<Step> steps = ps.parse(conn1, "S_1", Q1);
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).type()).isEqualTo(Step.Type.PARSE);
        assertThat(steps.get(0).name()).startsWith("mer").doesNotContain("S_1");
        sync();
        backend('1');
        backend('Z');
        assertThat(client).containsExactly("1", "Z");
        assertThat(outcomes).containsExactly("prepared");
    }

    @Test
    void aParseOfATextAlreadyOnTheConnectionIsAnsweredInOrder() {
        ps.parse(conn1, "a", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        PreparedStatements other = new PreparedStatements(plan, outcomes::add);
        // another client, same text, same connection: nothing to send
        ps.other((byte) 'Q');
        assertThat(other.parse(conn1, "b", Q1)).isEmpty();
        synths();
        assertThat(client).as("the ParseComplete waits for the earlier Query's answer").isEmpty();
        backend('T');
        backend('D');
        backend('C');
        backend('Z');
        assertThat(client).containsExactly("T", "D", "C", "Z", "1");
    }

    @Test
    void aBindOnAConnectionWithoutTheStatementGetsAParseInjectedAndItsAnswerSwallowed() {
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        List<String> steps = kinds(ps.bind(conn2, "s"));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0)).startsWith("PARSE:mer");
        assertThat(steps.get(1)).isEqualTo(steps.get(0).replace("PARSE", "RENAME"));
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        backend('1');
        backend('2');
        backend('D');
        backend('C');
        backend('Z');
        assertThat(client).containsExactly("2", "D", "C", "Z");
        assertThat(conn2.lookup(Q1)).isNotNull();
    }

    @Test
    void aBindReusesTheStatementAlreadyOnTheConnection() {
        ps.parse(conn1, "s", Q1);
        List<String> first = kinds(ps.bind(conn1, "s"));
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).startsWith("RENAME:mer");
        assertThat(outcomes).containsExactly("prepared", "reused");
    }

    @Test
    void unnamedStatementsAndUnknownNamesGoThroughUnchanged() {
        assertThat(kinds(ps.parse(conn1, "", Q1))).containsExactly("FORWARD");
        assertThat(kinds(ps.bind(conn1, ""))).containsExactly("FORWARD");
        assertThat(kinds(ps.bind(conn1, "never"))).as("PostgreSQL answers 26000 itself").containsExactly("FORWARD");
        assertThat(kinds(ps.describe(conn1, (byte) 'S', "never"))).containsExactly("FORWARD");
        assertThat(kinds(ps.describe(conn1, (byte) 'P', ""))).containsExactly("FORWARD");
        assertThat(kinds(ps.close((byte) 'S', "never"))).as("not an error in PostgreSQL").containsExactly("FORWARD");
        assertThat(outcomes).isEmpty();
    }

    @Test
    void describeOfAnUnnamedPortalEndsAtRowDescription() {
        ps.parse(conn1, "", Q1);
        ps.bind(conn1, "");
        ps.describe(conn1, (byte) 'P', "");
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        for (char c : "12TDCZ".toCharArray()) {
            backend(c);
        }
        assertThat(client).containsExactly("1", "2", "T", "D", "C", "Z");
        assertThat(plan.idle()).isTrue();
    }

    @Test
    void describeOfANamedStatementIsRenamed() {
        ps.parse(conn1, "s", Q1);
        assertThat(kinds(ps.describe(conn1, (byte) 'S', "s")).get(0)).startsWith("RENAME:mer");
        ps.other((byte) 'S');
        for (char c : "1tTZ".toCharArray()) {
            backend(c);
        }
        assertThat(client).containsExactly("1", "t", "T", "Z");
    }

    @Test
    void aCloseOfAMappedStatementIsAnsweredHereAndTheServerStatementStays() {
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        assertThat(ps.close((byte) 'S', "s")).isEmpty();
        assertThat(kinds(ps.other((byte) 'S'))).containsExactly("FORWARD");
        synths();
        assertThat(client).containsExactly("3");
        backend('Z');
        assertThat(conn1.lookup(Q1)).isNotNull();
        assertThat(kinds(ps.bind(conn1, "s"))).as("closed: unknown to the client now").containsExactly("FORWARD");
    }

    @Test
    void aParseOfANameTheClientHoldsGets42P05InPlaceOfTheBackendsError() {
        ps.parse(conn1, "s", Q1);
        assertThat(kinds(ps.parse(conn1, "s", Q2))).containsExactly("PROVOKE:" + PreparedStatements.MISSING);
        ps.other((byte) 'S');
        backend('1');
        backend('E');
        backend('Z', 'I');
        assertThat(client).containsExactly("1", "E:42P05", "Z");
        assertThat(kinds(ps.bind(conn1, "s")).get(0)).as("the first statement is intact").startsWith("RENAME");
    }

    @Test
    void theUnnamedStatementMayBeReplacedFreely() {
        assertThat(kinds(ps.parse(conn1, "", Q1))).containsExactly("FORWARD");
        assertThat(kinds(ps.parse(conn1, "", Q2))).containsExactly("FORWARD");
    }

    @Test
    void anErrorMidBatchSkipsToSyncDropsSynthesisedRepliesAndUndoesTheirEffects() {
        ps.parse(conn1, "a", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        // batch: Bind unnamed (fails), Parse "b" (already on conn: synthesised), Close "a" (synthesised), Sync
        ps.parse(conn1, "", Q2);
        ps.bind(conn1, "");
        assertThat(ps.parse(conn1, "b", Q1)).isEmpty();
        assertThat(ps.close((byte) 'S', "a")).isEmpty();
        ps.other((byte) 'S');
        synths();
        backend('1');
        backend('E');
        backend('Z');
        assertThat(client).containsExactly("1", "E", "Z");
        assertThat(kinds(ps.bind(conn1, "b"))).as("b was never created").containsExactly("FORWARD");
        assertThat(kinds(ps.bind(conn1, "a")).get(0)).as("a was never closed").startsWith("RENAME");
    }

    @Test
    void aFailedParseLeavesNeitherTheNameNorTheServerStatement() {
        ps.parse(conn1, "s", StatementText.of("SELEC 1"));
        ps.other((byte) 'S');
        backend('E');
        backend('Z');
        assertThat(client).containsExactly("E", "Z");
        assertThat(conn1.size()).isZero();
        assertThat(kinds(ps.parse(conn1, "s", Q1)).get(0)).as("the name is free again").startsWith("PARSE");
    }

    @Test
    void aFailedInjectedParseIsForwardedAndTheBindSkipped() {
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        ps.bind(conn2, "s");
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        backend('E'); // e.g. the table is gone
        backend('Z');
        assertThat(client).containsExactly("E", "Z");
        assertThat(conn2.size()).isZero();
    }

    @Test
    void entriesSentAfterAnErrorBeforeSyncAreSkippedToo() {
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'H'); // Flush
        backend('E');
        // the client sends more before its Sync: the backend ignores it all
        assertThat(ps.close((byte) 'S', "t")).isNotEmpty();
        ps.bind(conn1, "");
        ps.other((byte) 'S');
        synths();
        backend('Z');
        assertThat(client).containsExactly("E", "Z");
        assertThat(plan.idle()).isTrue();
    }

    @Test
    void evictionAtCapacityClosesTheLeastRecentlyUsedAndSwallowsItsCloseComplete() {
        ServerStatements small = new ServerStatements(2);
        ps.parse(small, "a", Q1);
        ps.parse(small, "b", Q2);
        ps.bind(small, "a"); // a is now the most recent
        List<String> steps = kinds(ps.parse(small, "c", StatementText.of("SELECT 3")));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0)).startsWith("CLOSE:mer");
        assertThat(small.lookup(Q2)).as("b evicted").isNull();
        assertThat(small.lookup(Q1)).isNotNull();
        ps.other((byte) 'S');
        for (char c : "1123" .toCharArray()) {
            backend(c);
        }
        backend('1');
        backend('Z');
        assertThat(client).containsExactly("1", "1", "2", "1", "Z");
        assertThat(outcomes).containsExactly("prepared", "prepared", "reused", "evicted", "prepared");
    }

    @Test
    void aSkippedEvictionLeavesTheStatementKnown() {
        ServerStatements small = new ServerStatements(1);
        ps.parse(small, "a", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        ps.parse(conn1, "", Q2);
        ps.parse(small, "b", Q2);
        ps.other((byte) 'S');
        backend('E'); // the unnamed Parse failed: the Close and the Parse of b were skipped
        backend('Z');
        assertThat(small.lookup(Q1)).isNotNull();
        assertThat(small.lookup(Q2)).isNull();
    }

    @Test
    void deallocateOfAClientNameIsAnsweredLocally() {
        ps.parse(conn1, "S_1", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        assertThat(ps.query(conn1, SqlTokens.statements("DEALLOCATE \"S_1\""))).isEmpty();
        synths();
        assertThat(client).containsExactly("C:DEALLOCATE,ZI");
        assertThat(ps.size()).isZero();
    }

    @Test
    void deallocateFoldsUnquotedNamesAndKnowsPrepare() {
        ps.parse(conn1, "s_1", Q1);
        assertThat(ps.query(conn1, SqlTokens.statements("deallocate prepare S_1"))).isEmpty();
        assertThat(ps.size()).isZero();
    }

    @Test
    void deallocateOfANameNotOursGoesToTheBackend() {
        assertThat(kinds(ps.query(conn1, SqlTokens.statements("DEALLOCATE sqlside")))).containsExactly("FORWARD");
    }

    @Test
    void deallocateInAFailedTransactionIs25P02() {
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('E');
        backend('Z', 'E');
        client.clear();
        ps.query(conn1, SqlTokens.statements("DEALLOCATE s"));
        synths();
        assertThat(client).containsExactly("E:25P02,ZE");
        assertThat(ps.size()).as("s was not deallocated").isEqualTo(1);
    }

    @Test
    void discardAllAndDeallocateAllForgetEveryNameAndTheConnectionsStatements() {
        ps.parse(conn1, "a", Q1);
        ps.parse(conn1, "b", Q2);
        String before = conn1.lookup(Q1);
        assertThat(kinds(ps.query(conn1, SqlTokens.statements("DISCARD ALL")))).containsExactly("FORWARD");
        assertThat(ps.size()).isZero();
        assertThat(conn1.size()).isZero();
        ps.parse(conn1, "a", Q1);
        assertThat(conn1.lookup(Q1)).as("a new generation of names").isNotEqualTo(before);
        ps.query(conn1, SqlTokens.statements("DEALLOCATE ALL"));
        assertThat(ps.size()).isZero();
    }

    @Test
    void aFailedDiscardAllGivesTheNamesBack() {
        ps.parse(conn1, "a", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        ps.query(conn1, SqlTokens.statements("DISCARD ALL"));
        backend('E'); // inside a transaction block: refused
        backend('Z', 'T');
        assertThat(ps.size()).isEqualTo(1);
    }

    @Test
    void asynchronousMessagesBelongToNoReply() {
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('N');
        backend('S');
        backend('A');
        backend('1');
        backend('Z');
        assertThat(client).containsExactly("N", "S", "A", "1", "Z");
    }

    @Test
    void aBatchPipelinedOverSeveralStatementsKeepsItsOrder() {
        ps.parse(conn1, "a", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        ps.parse(conn2, "b", Q2); // sent
        ps.bind(conn2, "a"); // a injected on conn2
        ps.other((byte) 'E');
        assertThat(ps.parse(conn2, "c", Q2)).isEmpty(); // same text as b, already there
        ps.bind(conn2, "c");
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        synths();
        for (char c : "112DC2DCZ".toCharArray()) {
            backend(c);
        }
        assertThat(client).containsExactly("1", "2", "D", "C", "1", "2", "D", "C", "Z");
    }

    @Test
    void aFailedBindPreparesTheStatementAfreshNextTimeAndClosesTheStaleOne() {
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        String old = conn1.lookup(Q1);
        ps.bind(conn1, "s");
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        backend('E'); // 0A000 cached plan must not change result type
        backend('Z');
        assertThat(conn1.lookup(Q1)).isNull();
        // pgjdbc closes and re-parses its statement
        assertThat(ps.close((byte) 'S', "s")).isEmpty();
        List<String> steps = kinds(ps.parse(conn1, "s", Q1));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0)).isEqualTo("CLOSE:" + old);
        assertThat(steps.get(1)).startsWith("PARSE:mer").isNotEqualTo("PARSE:" + old);
    }

    /** Records retries; a retry re-plans the Bind as the session does (Describe, Execute, Sync follow). */
    private final List<String> retries = new ArrayList<>();

    private void withRetrier() {
        ps.retrier(new ReplyPlan.Retrier() {
            @Override
            public void retry(Reply.Retry r) {
                retries.add("retry " + kinds(ps.retry(r)));
                ps.describe(r.server(), (byte) 'P', "");
                ps.other((byte) 'E');
                ps.other((byte) 'S');
            }

            @Override
            public void noRetry() {
                retries.add("no retry");
            }
        });
    }

    @Test
    void aFailedFirstBindOfARequestIsRetriedOnAFreshStatementAndTheErrorSwallowed() {
        withRetrier();
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        String old = conn1.lookup(Q1);
        ps.bind(conn1, "s");
        assertThat(ps.retryCandidate()).isTrue();
        ps.describe(conn1, (byte) 'P', "");
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        backend('E'); // 0A000: swallowed, the request goes again
        assertThat(retries).hasSize(1);
        assertThat(retries.get(0)).startsWith("retry [CLOSE:" + old + ", PARSE:mer").contains("RENAME:mer");
        backend('Z'); // the old Sync's: swallowed
        for (char c : "3 1 2 T D C Z".replace(" ", "").toCharArray()) {
            backend(c);
        }
        assertThat(client).containsExactly("2", "T", "D", "C", "Z");
        assertThat(plan.idle()).isTrue();
    }

    @Test
    void aBindIsNotRetriedWhenMoreFollowsItsSyncOrInsideATransaction() {
        withRetrier();
        ps.parse(conn1, "s", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        ps.bind(conn1, "s");
        ps.describe(conn1, (byte) 'P', "");
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        ps.other((byte) 'Q'); // pipelined after the Sync
        backend('E');
        backend('Z');
        backend('Z');
        assertThat(client).containsExactly("E", "Z", "Z");
        assertThat(retries).containsExactly("no retry");
        ps.bind(conn1, "s"); // prepared afresh (no candidate), then fine
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        for (char c : "312CZ".toCharArray()) { // the stale statement closed, prepared afresh
            backend(c);
        }
        client.clear();
        ps.bind(conn1, "s"); // no Describe: the client would read new rows with its old row description
        ps.other((byte) 'E');
        ps.other((byte) 'S');
        backend('E');
        backend('Z');
        assertThat(client).containsExactly("E", "Z");
        assertThat(retries).containsExactly("no retry", "no retry");
        client.clear();
        ps.other((byte) 'Q');
        backend('C');
        backend('Z', 'T');
        ps.bind(conn1, "s");
        assertThat(ps.retryCandidate()).as("inside a transaction block").isFalse();
    }

    @Test
    void sqlPrepareOfAProtocolNameTheClientHoldsIs42P05AsInPostgres() {
        ps.parse(conn1, "s1", Q1);
        ps.other((byte) 'S');
        backend('1');
        backend('Z');
        client.clear();
        assertThat(kinds(ps.query(conn1, SqlTokens.statements("PREPARE S1 (int) AS SELECT $1"))))
                .containsExactly("FAIL_QUERY:" + PreparedStatements.MISSING);
        backend('E');
        backend('Z', 'I');
        assertThat(client).containsExactly("E:42P05", "Z");
        assertThat(kinds(ps.query(conn1, SqlTokens.statements("PREPARE other AS SELECT 1")))).containsExactly("FORWARD");
        assertThat(kinds(ps.query(conn1, SqlTokens.statements("PREPARE TRANSACTION 's1'")))).containsExactly("FORWARD");
    }
}
