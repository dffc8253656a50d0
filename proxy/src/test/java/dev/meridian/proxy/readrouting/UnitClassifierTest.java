package dev.meridian.proxy.readrouting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitClassifierTest {
    private final UnitClassifier c = new UnitClassifier();

    private boolean query(String... texts) {
        c.begin();
        for (String t : texts) {
            c.query(t);
        }
        return c.readOnly();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "BEGIN READ ONLY",
        "begin transaction read only",
        "START TRANSACTION READ ONLY",
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        "START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE",
        "BEGIN READ ONLY; SELECT 1; COMMIT",
        "BEGIN READ ONLY; SELECT add_order(1); COMMIT",
    })
    void readOnlyTransactions(String sql) {
        assertThat(query(sql)).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "BEGIN",
        "BEGIN READ WRITE",
        "BEGIN READ ONLY, READ WRITE",
        "START TRANSACTION",
        "BEGIN ISOLATION LEVEL SERIALIZABLE",
        "BEGIN READ ONLY; COMMIT; INSERT INTO t VALUES (1)",
        "COMMIT PREPARED 'x'",
    })
    void otherTransactionsAreWrites(String sql) {
        assertThat(query(sql)).as(sql).isFalse();
    }

    @Test
    void everyQueryOfAPipelinedUnitCounts() {
        assertThat(query("SELECT 1", "SELECT 2")).isTrue();
        assertThat(query("SELECT 1", "UPDATE t SET a = 1")).isFalse();
        assertThat(query("BEGIN READ ONLY", "SELECT 1", "COMMIT")).isTrue();
    }

    @Test
    void aUnitWithNoStatementIsNotReadOnly() {
        c.begin();
        assertThat(c.readOnly()).isFalse();
    }

    @Test
    void preparedStatementsAreClassifiedWhenParsedAndRunByBind() {
        c.parsed("s1", "SELECT * FROM t WHERE id = $1");
        c.parsed("w1", "INSERT INTO t VALUES ($1)");
        c.begin();
        c.bind("s1");
        assertThat(c.readOnly()).isTrue();
        c.begin();
        c.bind("s1");
        c.bind("w1");
        assertThat(c.readOnly()).isFalse();
    }

    @Test
    void aBindOfAStatementNeverSeenIsAWrite() {
        c.begin();
        c.bind("unknown");
        assertThat(c.readOnly()).isFalse();
    }

    @Test
    void theUnnamedStatementIsReplacedByTheNextParse() {
        c.parsed("", "SELECT 1");
        c.parsed("", "DELETE FROM t");
        c.begin();
        c.bind("");
        assertThat(c.readOnly()).isFalse();
    }

    @Test
    void aFunctionCallMessageIsAWrite() {
        c.begin();
        c.functionCall();
        assertThat(c.readOnly()).isFalse();
    }
}
