package dev.meridian.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.localpg.Await;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checks the harness itself against real servers; destructive tests run last, in order. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresHarnessIntegrationTests {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder()
            .server("iad").server("lhr").replica("iad-replica", "iad").build();

    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(10);

    @Test
    @Order(1)
    void everyServerAcceptsTheSuperuserAndTheAppUser() throws SQLException {
        for (PgServer server : PG.servers()) {
            assertThat(currentUser(server.connect("postgres"))).isEqualTo(PgServer.SUPERUSER);
            assertThat(currentUser(server.connect(PgServer.APP_DATABASE, PgServer.APP_USER,
                    PgServer.APP_PASSWORD))).isEqualTo(PgServer.APP_USER);
        }
        assertThat(PG.servers()).extracting(PgServer::name).containsExactly("iad", "lhr", "iad-replica");
        assertThat(PG.server("lhr").port()).isNotEqualTo(PG.server("iad").port());
    }

    @Test
    @Order(2)
    void wrongPasswordIsRejected() {
        assertThatThrownBy(() -> PG.server("iad").connect("postgres", PgServer.APP_USER, "wrong"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    @Order(3)
    void replicaIsInRecoveryAndFollowsItsPrimary() {
        PgServer primary = PG.server("iad");
        PgServer replica = PG.server("iad-replica");
        assertThat(replica.isReplica()).isTrue();
        assertThat(replica.isInRecovery()).isTrue();
        assertThat(primary.isInRecovery()).isFalse();

        primary.execute("postgres", "CREATE TABLE replicated (id int)", "INSERT INTO replicated VALUES (42)");
        Await.until(REPLICATION_WAIT, () -> "42".equals(replica.query("postgres", "SELECT id FROM replicated")),
                () -> "row did not reach the replica\n" + replica.logTail());
        assertThatThrownBy(() -> replica.execute("postgres", "INSERT INTO replicated VALUES (1)"))
                .hasMessageContaining("read-only transaction");
    }

    @Test
    @Order(4)
    void psqlReturnsRowsAndExitCodes() {
        PgTools tools = PgTools.local();
        PgEndpoint lhr = PG.server("lhr").endpoint();

        ProcessResult rows = tools.psql(lhr, PgServer.APP_USER, PgServer.APP_PASSWORD,
                PgServer.APP_DATABASE, "-c", "SELECT g, g * 2 FROM generate_series(1, 3) g");
        assertThat(rows.exitCode()).isZero();
        assertThat(rows.stdout()).isEqualTo("1|2\n2|4\n3|6\n");

        ProcessResult error = tools.psqlScript(lhr, PgServer.APP_USER, PgServer.APP_PASSWORD,
                PgServer.APP_DATABASE, "SELECT 1;\nSELECT * FROM missing_table;\nSELECT 2;\n");
        assertThat(error.exitCode()).as("ON_ERROR_STOP script error").isEqualTo(3);
        assertThat(error.stdout()).isEqualTo("1\n");
        assertThat(error.stderr()).contains("relation \"missing_table\" does not exist");

        ProcessResult badLogin = tools.psqlRaw(lhr, PgServer.APP_USER, "wrong", PgServer.APP_DATABASE,
                "-X", "-c", "SELECT 1");
        assertThat(badLogin.exitCode()).as("connection failure").isEqualTo(2);
        assertThat(badLogin.stderr()).contains("password authentication failed");
    }

    @Test
    @Order(5)
    void pgbenchInitialisesAndRunsSelectOnly() {
        PgTools tools = PgTools.local();
        PgEndpoint lhr = PG.server("lhr").endpoint();

        ProcessResult init = tools.pgbench(lhr, PgServer.APP_USER, PgServer.APP_PASSWORD,
                PgServer.APP_DATABASE, "-i", "-s", "1", "-q");
        assertThat(init.exitCode()).as(init.stderr()).isZero();

        ProcessResult run = tools.pgbench(lhr, PgServer.APP_USER, PgServer.APP_PASSWORD,
                PgServer.APP_DATABASE, "-S", "-T", "2", "-c", "2", "-j", "2");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("number of failed transactions: 0").contains("tps = ");
    }

    @Test
    @Order(6)
    void killDropsConnectionsAndStartBringsTheServerBack() throws SQLException {
        PgServer lhr = PG.server("lhr");
        int port = lhr.port();
        try (Connection durable = lhr.connect("postgres"); Statement statement = durable.createStatement()) {
            // synchronous_commit is off server-wide; this row must survive the crash.
            statement.execute("SET synchronous_commit = on");
            statement.execute("CREATE TABLE survivor AS SELECT 7 AS id");
        }
        try (Connection open = lhr.connect("postgres")) {
            lhr.kill();
            assertThatThrownBy(() -> currentUser(open)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> lhr.connect("postgres")).isInstanceOf(SQLException.class);
            assertThat(lhr.isAcceptingConnections()).isFalse();
        }

        lhr.start();
        assertThat(lhr.port()).isEqualTo(port);
        assertThat(lhr.query("postgres", "SELECT id FROM survivor")).isEqualTo("7");
    }

    @Test
    @Order(7)
    void stopAndStartKeepTheData() {
        PgServer lhr = PG.server("lhr");
        lhr.execute("postgres", "CREATE TABLE kept AS SELECT 'yes'::text AS v");
        lhr.stop();
        assertThat(lhr.isAcceptingConnections()).isFalse();
        lhr.start();
        assertThat(lhr.query("postgres", "SELECT v FROM kept")).isEqualTo("yes");
    }

    @Test
    @Order(8)
    void promoteMakesTheReplicaWritable() {
        PgServer replica = PG.server("iad-replica");
        replica.promote();
        assertThat(replica.isReplica()).isFalse();
        assertThat(replica.isInRecovery()).isFalse();
        replica.execute("postgres", "INSERT INTO replicated VALUES (43)");
        assertThat(replica.query("postgres", "SELECT count(*) FROM replicated")).isEqualTo("2");
    }

    /** Nested classes inherit the extension; they must share, not restart, the servers. */
    @Nested
    class NestedClasses {

        @Test
        void seeTheSameRunningServers() {
            assertThat(PG.server("iad").query("postgres", "SELECT count(*) FROM replicated")).isEqualTo("1");
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (connection; Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_user")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
