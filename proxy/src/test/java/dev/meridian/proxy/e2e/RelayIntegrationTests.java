package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;

/** pgjdbc through Meridian to two real PostgreSQL servers: everything behaves as it does directly. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        PG.server("lhr").execute("postgres", "CREATE DATABASE orders");
        PG.server("iad").execute("postgres", "CREATE DATABASE shop_eu");
        proxy = ProxyFixture.start(TwoRegions.YAML, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private Connection connect(String database) throws SQLException {
        return proxy.connect(database, "postgres", null);
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void eachDatabaseLandsOnItsRegionsServer() throws Exception {
        try (Connection orders = connect("orders"); Connection shop = connect("shop_eu")) {
            assertThat(one(orders, "SHOW port")).isEqualTo(Integer.toString(PG.server("lhr").port()));
            assertThat(one(shop, "SHOW port")).isEqualTo(Integer.toString(PG.server("iad").port()));
            assertThat(one(orders, "SELECT current_database()")).isEqualTo("orders");
        }
    }

    @Test
    void backendDatabaseRenames() throws Exception {
        try (Connection c = connect("renamed")) {
            assertThat(one(c, "SELECT current_database()")).isEqualTo("orders");
        }
    }

    @Test
    void unknownDatabaseIsRefusedWith3D000() {
        assertThatThrownBy(() -> connect("nowhere"))
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("3D000");
                    assertThat(e.getMessage()).contains("database \"nowhere\" is not served by this proxy");
                });
    }

    @Test
    void backendLoginErrorsPassThroughUnchanged() {
        assertThatThrownBy(() -> connect("shop_missing"))
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("3D000");
                    assertThat(e.getMessage()).contains("database \"shop_missing\" does not exist");
                });
    }

    @Test
    void extendedQueryWithServerPreparedStatements() throws Exception {
        try (Connection c = connect("orders")) {
            c.unwrap(PGConnection.class).setPrepareThreshold(1);
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * 2, ?::text || '!'")) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "hi" + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(i * 2);
                        assertThat(rs.getString(2)).isEqualTo("hi" + i + "!");
                    }
                }
            }
            assertThat(one(c, "SELECT count(*) FROM pg_prepared_statements")).isNotEqualTo("0");
        }
    }

    @Test
    void errorsPassThroughAndTheSessionGoesOn() throws Exception {
        try (Connection c = connect("orders")) {
            assertThatThrownBy(() -> one(c, "SELECT 1/0"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22012");
                        assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("division by zero");
                    });
            assertThat(one(c, "SELECT 'still here'")).isEqualTo("still here");
        }
    }

    @Test
    void copyInAndOutFiftyThousandRows() throws Exception {
        try (Connection c = connect("orders")) {
            c.createStatement().execute("CREATE TEMP TABLE items (id int, name text)");
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < 50_000; i++) {
                data.append(i).append('\t').append("item-").append(i).append('\n');
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long in = copy.copyIn("COPY items FROM STDIN", new StringReader(data.toString()));
            assertThat(in).isEqualTo(50_000);
            StringWriter out = new StringWriter();
            long outRows = copy.copyOut("COPY items TO STDOUT", out);
            assertThat(outRows).isEqualTo(50_000);
            assertThat(out.toString()).isEqualTo(data.toString());
        }
    }

    @Test
    void fiftyMegabyteResult() throws Exception {
        try (Connection c = connect("orders"); Statement s = c.createStatement()) {
            long bytes = 0;
            int rows = 0;
            try (ResultSet rs = s.executeQuery("SELECT repeat(md5(g::text), 32768) FROM generate_series(1, 50) g")) {
                while (rs.next()) {
                    bytes += rs.getString(1).length();
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(50);
            assertThat(bytes).isEqualTo(50L * 32 * 32768);
        }
    }

    @Test
    void listenNotify() throws Exception {
        try (Connection listener = connect("orders"); Connection notifier = connect("orders")) {
            listener.createStatement().execute("LISTEN meridian_events");
            notifier.createStatement().execute("NOTIFY meridian_events, 'hello from lhr'");
            PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(got).hasSize(1);
            assertThat(got[0].getName()).isEqualTo("meridian_events");
            assertThat(got[0].getParameter()).isEqualTo("hello from lhr");
        }
    }

    @Test
    void transactionsCommitAndRollBack() throws Exception {
        try (Connection c = connect("shop_eu")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS tx_test (v int)");
            c.setAutoCommit(false);
            c.createStatement().execute("INSERT INTO tx_test VALUES (1)");
            c.rollback();
            c.createStatement().execute("INSERT INTO tx_test VALUES (2)");
            c.commit();
            assertThat(one(c, "SELECT string_agg(v::text, ',') FROM tx_test")).isEqualTo("2");
        }
    }

    @Test
    void cancelReachesTheBackend() throws Exception {
        try (Connection c = connect("orders"); Statement s = c.createStatement()) {
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(500);
                    s.cancel();
                } catch (Exception ignored) {
                    // the assertion below reports a missing cancel
                }
            });
            canceller.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(30)"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
            canceller.join();
            assertThat(one(c, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void applicationNameAndParametersReachTheBackend() throws Exception {
        var props = new java.util.Properties();
        props.setProperty("user", "postgres");
        props.setProperty("ApplicationName", "meridian-test");
        props.setProperty("options", "-c search_path=pg_catalog -c meridian.target=read-write");
        try (Connection c = java.sql.DriverManager.getConnection(proxy.jdbcUrl("orders"), props)) {
            assertThat(one(c, "SHOW application_name")).isEqualTo("meridian-test");
            assertThat(one(c, "SHOW search_path")).isEqualTo("pg_catalog");
        }
    }
}
