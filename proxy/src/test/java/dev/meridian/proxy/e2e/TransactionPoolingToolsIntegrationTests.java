package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real tools through transaction pooling on listen.transaction_port: pgbench with up to 500
 * clients over at most 10 backend connections (simple, extended and prepared protocol), and psql.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionPoolingToolsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;
    static int transactionPort;

    @BeforeAll
    static void start() throws Exception {
        transactionPort = ProxyFixture.freePort();
        proxy = ProxyFixture.start(OneRegion.yaml(
                        "listen: { host: 127.0.0.1, port: \"${PROXY_PORT}\", transaction_port: " + transactionPort + " }",
                        "pool: { max_per_backend: 10 }"),
                OneRegion.env(PG, java.util.Map.of()));
        ProcessResult init = PgTools.local().pgbench(PG.server("iad").endpoint(), "postgres",
                dev.meridian.proxy.testing.PgServer.SUPERUSER_PASSWORD, "postgres", "-i", "-s", "1", "-q");
        assertThat(init.exitCode()).as(init.stderr()).isZero();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static ProcessResult pgbench(String... args) {
        return PgTools.local().pgbench(new PgEndpoint("127.0.0.1", transactionPort), "postgres", null, "postgres", args);
    }

    @Test
    void pgbenchSimpleWith500ClientsOverTenConnections() {
        ProcessResult run = pgbench("-S", "-M", "simple", "-c", "500", "-j", "2", "-t", "3");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("number of transactions actually processed: 1500/1500")
                .contains("number of failed transactions: 0");
    }

    @Test
    void pgbenchExtendedWith300ClientsOverTenConnections() {
        ProcessResult run = pgbench("-S", "-M", "extended", "-c", "300", "-j", "2", "-t", "5");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("number of transactions actually processed: 1500/1500")
                .contains("number of failed transactions: 0");
    }

    /** Protocol-level named statements shared across connections (issue #18): nobody pins. */
    @Test
    void pgbenchPreparedWith500ClientsOverTenConnections() {
        ProcessResult run = pgbench("-S", "-M", "prepared", "-c", "500", "-j", "2", "-t", "3");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("number of transactions actually processed: 1500/1500")
                .contains("number of failed transactions: 0");
    }

    /**
     * Statements prepared inside transactions. pgbench prepares with a blocking PQprepare that
     * stalls its whole thread, so one thread per client: with fewer threads, a thread blocked
     * preparing for one client (waiting for a connection) would keep its other clients from
     * finishing the transactions that hold every connection (so it would against any pooler).
     */
    @Test
    void pgbenchPreparedReadWriteTransactions() {
        ProcessResult run = pgbench("-M", "prepared", "-c", "20", "-j", "20", "-t", "10");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("number of failed transactions: 0");
    }

    @Test
    void pgbenchReadWriteTransactionsKeepTheirConnection() {
        ProcessResult run = pgbench("-M", "simple", "-c", "50", "-j", "2", "-t", "10");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("number of failed transactions: 0");
    }

    @Test
    void psqlSettingsFollowTheClientAcrossConnections() {
        ProcessResult r = PgTools.local().psqlRaw(new PgEndpoint("127.0.0.1", transactionPort), "postgres", null,
                "postgres", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-c", "SET search_path = pg_catalog", "-c", "SHOW search_path",
                "-c", "SELECT count(*) FROM pg_class WHERE false", "-c", "SHOW search_path");
        assertThat(r.stdout().lines().toList()).as(r.stderr() + " exit " + r.exitCode())
                .containsExactly("SET", "pg_catalog", "0", "pg_catalog");
    }
}
