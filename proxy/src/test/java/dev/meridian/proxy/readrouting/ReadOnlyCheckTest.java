package dev.meridian.proxy.readrouting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlyCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1",
        "select * from orders where id = $1",
        "SELECT count(*), max(total) FROM orders GROUP BY customer HAVING sum(total) > 10",
        "  -- a comment\n SELECT now()",
        "WITH t AS (SELECT id FROM orders) SELECT * FROM t",
        "TABLE orders",
        "VALUES (1, 'a'), (2, 'b')",
        "SHOW search_path",
        "SET search_path = app, public",
        "RESET statement_timeout",
        "SELECT 'insert into x' AS text, \"update\" FROM t",
        "SELECT lower(name), coalesce(note, '') FROM users WHERE id IN (1, 2, 3)",
        "SELECT x::numeric(10, 2) FROM t",
        "SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t",
        "SELECT * FROM a JOIN b USING (id)",
        "SELECT EXISTS (SELECT 1 FROM t)",
        "SELECT pg_is_in_recovery()",
        "(SELECT 1) UNION (SELECT 2)",
        "SELECT 1; SELECT 2",
        "SELECT $$ delete from t $$",
        "SELECT * FROM t FOR /* no lock here */ 1",
    })
    void reads(String sql) {
        assertThat(ReadOnlyCheck.reads(sql)).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO t VALUES (1)",
        "UPDATE t SET a = 1",
        "DELETE FROM t",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
        "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
        "WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM i",
        "SELECT * FROM t FOR UPDATE",
        "SELECT * FROM t FOR SHARE",
        "SELECT * FROM t FOR NO KEY UPDATE",
        "SELECT * FROM t FOR KEY SHARE",
        "SELECT * INTO newtable FROM t",
        "SELECT nextval('s')",
        "SELECT setval('s', 1)",
        "SELECT pg_advisory_lock(1)",
        "SELECT pg_try_advisory_xact_lock(1)",
        "SELECT pg_terminate_backend(123)",
        "SELECT add_order(1)",
        "SELECT app.add_order(1)",
        "SELECT \"AddOrder\"(1)",
        "SELECT 1; INSERT INTO t VALUES (1)",
        "CREATE TABLE t (a int)",
        "BEGIN",
        "COPY t TO STDOUT",
        "EXPLAIN ANALYZE DELETE FROM t",
        "LOCK TABLE t",
        "SET ROLE admin",
        "SET SESSION AUTHORIZATION admin",
        "SET TRANSACTION READ WRITE",
        "CALL proc()",
        "DO $$ BEGIN END $$",
        "",
        "  ;  ",
    })
    void doesNotProveARead(String sql) {
        assertThat(ReadOnlyCheck.reads(sql)).as(sql).isFalse();
    }
}
