package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Walsender startups through the proxy, with real psql (issue #16, item 2): refused unless the
 * database rule says {@code replication: true}; where allowed, every client gets a walsender of
 * its own that ends with it (never pooled, never reset, never handed to the next client).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplicationIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PG.server("iad").execute("postgres", "CREATE DATABASE cdc");
        proxy = OneRegion.start(PG, """
                databases:
                  cdc: { regions: [iad], replication: true }
                  "*": { regions: [iad] }""");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static ProcessResult replicationPsql(String database, String mode, String sql) {
        return PgTools.local().psql(new PgEndpoint("127.0.0.1", proxy.port()), PgServer.SUPERUSER, null,
                "dbname=" + database + " replication=" + mode, "-c", sql);
    }

    @Test
    void identifySystemIsRefusedWhereTheRuleDoesNotAllowReplication() {
        for (String mode : new String[] {"database", "true"}) {
            ProcessResult r = replicationPsql("postgres", mode, "IDENTIFY_SYSTEM");
            assertThat(r.exitCode()).as(mode).isEqualTo(2);
            assertThat(r.stderr()).contains("replication connections are not allowed to this database")
                    .contains("databases.\"*\".replication is not true");
        }
    }

    @Test
    void identifySystemWorksWhereTheRuleAllowsIt() {
        ProcessResult r = replicationPsql("cdc", "database", "IDENTIFY_SYSTEM");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("|cdc");
    }

    @Test
    void eachReplicationClientGetsAFreshWalsender() throws Exception {
        for (int i = 0; i < 2; i++) {
            // A TEMPORARY slot lives as long as its walsender: on a reused one the second create fails (42710).
            ProcessResult slot = replicationPsql("cdc", "true", "CREATE_REPLICATION_SLOT meridian_tmp TEMPORARY PHYSICAL");
            assertThat(slot.exitCode()).as("client " + i + ": " + slot.stderr()).isZero();
        }
        String first = replicationPsql("cdc", "database", "SELECT pg_backend_pid()").stdout().strip();
        String second = replicationPsql("cdc", "database", "SELECT pg_backend_pid()").stdout().strip();
        assertThat(first).isNotEmpty().isNotEqualTo(second);
        awaitNoWalsender();
    }

    /** Once their clients are gone, no walsender stays open behind the proxy. */
    private static void awaitNoWalsender() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String count;
        do {
            count = PG.server("iad").query("postgres",
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender'").strip();
            if (count.equals("0")) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(count).as("walsenders left open").isEqualTo("0");
    }
}
