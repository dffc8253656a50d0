package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real psql and pgbench binaries through Meridian behave exactly as they do directly. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientToolsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        PG.server("lhr").execute("postgres", "CREATE DATABASE orders");
        PG.server("iad").execute("postgres", "CREATE DATABASE shop_bench");
        proxy = ProxyFixture.start(TwoRegions.YAML, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private ProcessResult psql(String database, String... args) {
        return PgTools.local().psql(proxyEndpoint(), "postgres", null, database, args);
    }

    private static PgEndpoint proxyEndpoint() {
        return new PgEndpoint("127.0.0.1", proxy.port());
    }

    @Test
    void psqlRunsQueriesOnTheRoutedServer() {
        ProcessResult r = psql("orders", "-c", "SELECT current_database(), current_setting('port')");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("orders|" + PG.server("lhr").port());
    }

    @Test
    void psqlShowsServerErrorsUnchanged() {
        ProcessResult r = psql("orders", "-c", "SELECT * FROM no_such_table");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("ERROR:  relation \"no_such_table\" does not exist");
    }

    @Test
    void aMisspelledMeridianOptionIsRefusedNamingTheKnownOnes() throws Exception {
        ProcessResult r = psql("dbname=orders options='-c meridian.regoin=lhr'", "-c", "SELECT 1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("FATAL:  unrecognized Meridian option \"meridian.regoin\""
                + " (known: meridian.region, meridian.target, meridian.min_lsn)");
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/orders?user=postgres&options=-c%20meridian.regoin%3Dlhr";
        assertThatThrownBy(() -> DriverManager.getConnection(url).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
        assertThat(psql("dbname=orders options='-c meridian.region=lhr'", "-Atc", "SELECT 1").stdout().trim())
                .as("the right spelling is served").isEqualTo("1");
    }

    @Test
    void psqlIsToldAnUnknownDatabaseIsNotServed() {
        ProcessResult r = psql("nowhere", "-c", "SELECT 1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("FATAL:  database \"nowhere\" is not served by this proxy");
    }

    @Test
    void psqlCopyBothWays(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.csv");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            csv.append(i).append(",row ").append(i).append('\n');
        }
        Files.writeString(in, csv);
        Path out = dir.resolve("out.csv");
        ProcessResult r = psql("orders", "-c", "CREATE TEMP TABLE t (id int, v text)",
                "-c", "\\copy t FROM '" + in + "' WITH (FORMAT csv)",
                "-c", "\\copy t TO '" + out + "' WITH (FORMAT csv)",
                "-c", "SELECT count(*), sum(id) FROM t");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("60000|1799970000");
        assertThat(Files.readString(out)).isEqualTo(csv.toString());
    }

    @Test
    void psqlSeesNotifications() {
        ProcessResult r = psql("orders", "-c", "LISTEN ch", "-c", "NOTIFY ch, 'payload'", "-c", "SELECT 1");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout() + r.stderr()).contains("Asynchronous notification \"ch\" with payload \"payload\"");
    }

    @Test
    void pgbenchInitialisesAndRunsThroughTheProxy() {
        ProcessResult init = PgTools.local().pgbench(proxyEndpoint(), "postgres", null, "shop_bench", "-i", "-s", "1", "-q");
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        ProcessResult run = PgTools.local().pgbench(proxyEndpoint(), "postgres", null, "shop_bench",
                "-c", "4", "-j", "2", "-T", "3", "-n");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("number of failed transactions: 0");
        ProcessResult prepared = PgTools.local().pgbench(proxyEndpoint(), "postgres", null, "shop_bench",
                "-S", "-M", "prepared", "-c", "2", "-t", "500", "-n");
        assertThat(prepared.exitCode()).as(prepared.stderr()).isZero();
        assertThat(prepared.stdout()).contains("number of transactions actually processed: 1000/1000");
    }
}
