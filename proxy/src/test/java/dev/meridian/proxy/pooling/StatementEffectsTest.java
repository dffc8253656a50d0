package dev.meridian.proxy.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the lexer reads as pins and unpins; the SQL is in the first column, the effects after. */
class StatementEffectsTest {

    private static String effects(String sql) {
        List<Effect> list = StatementEffects.of(sql);
        StringBuilder out = new StringBuilder();
        for (Effect e : list) {
            out.append(out.length() == 0 ? "" : " ").append(e.unpin() ? "-" : "+")
                    .append(e.reason() == null ? "all" : e.reason().label());
        }
        return out.toString();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "SELECT 1|",
        "select pg_advisory_lock(1)|+advisory_lock",
        "SELECT pg_try_advisory_lock_shared(1, 2)|+advisory_lock",
        "SELECT pg_advisory_xact_lock(1)|",
        "SELECT pg_advisory_unlock_all()|-advisory_lock",
        "LISTEN jobs|+listen",
        "UNLISTEN jobs|",
        "UNLISTEN *|-listen",
        "PREPARE q AS SELECT 1|+prepare",
        "PREPARE TRANSACTION 'x'|",
        "DEALLOCATE ALL|-prepare",
        "DEALLOCATE PREPARE ALL|-prepare",
        "DECLARE c CURSOR WITH HOLD FOR SELECT 1|+cursor_with_hold",
        "DECLARE c CURSOR WITHOUT HOLD FOR SELECT 1|",
        "DECLARE c CURSOR FOR SELECT 'with hold'|",
        "CREATE TEMP TABLE t (v int)|+temp_table",
        "create local temporary table t (v int)|+temp_table",
        "CREATE TABLE pg_temp.t (v int)|+temp_table",
        "CREATE TABLE t (v int)|",
        "SELECT * INTO TEMP t FROM x|+temp_table",
        "LOAD 'auto_explain'|+load",
        "SET search_path = x|+set",
        "SET LOCAL search_path = x|",
        "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE|",
        "SET ROLE admin|+set_role",
        "SET SESSION AUTHORIZATION bob|+set_role",
        "SELECT set_config('a.b', 'c', false)|+set",
        "SELECT set_config('a.b', 'c', true)|",
        "SELECT set_config('a.b', 'c', $1)|+set",
        "DO $$ BEGIN PERFORM 1; END $$|+unknown",
        "DISCARD ALL|-all",
        "DISCARD TEMP|-temp_table",
        "DISCARD PLANS|",
        "SELECT 'pg_advisory_lock(1)'|",
        "SELECT 1 -- pg_advisory_lock(1)|",
        "SELECT /* LISTEN x; /* nested */ pg_advisory_lock(1) */ 1|",
        "SELECT $tag$ ; LISTEN x $tag$|",
        "SELECT E'it\\'s; LISTEN x'|",
        "SELECT \"pg_advisory_lock\"(1)|",
        "SELECT 1; LISTEN x; SELECT pg_advisory_lock(2)|+listen +advisory_lock",
        "UPDATE t SET v = 1|"})
    void readsTheEffectsOfEachStatement(String sql, String expected) {
        assertThat(effects(sql)).isEqualTo(expected == null ? "" : expected);
    }
}
