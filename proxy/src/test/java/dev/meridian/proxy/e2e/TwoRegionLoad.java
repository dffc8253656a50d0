package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real pgbench load through the proxy into both regions of {@link TwoRegions} at once:
 * {@code shop_bench} lives in iad and is driven with the extended protocol (prepared),
 * {@code orders} lives in lhr and is driven with simple queries.
 */
final class TwoRegionLoad {
    /** Statements per transaction of pgbench's default TPC-B-like script (BEGIN ... END). */
    static final int STATEMENTS_PER_TRANSACTION = 7;
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");

    /** Transactions each region completed. */
    record Done(long iad, long lhr) {
    }

    private final PgEndpoint proxy;

    private TwoRegionLoad(PgEndpoint proxy) {
        this.proxy = proxy;
    }

    /** Creates the databases on their servers and initialises pgbench's tables through the proxy. */
    static TwoRegionLoad prepare(PostgresExtension pg, ProxyFixture fixture) {
        pg.server("iad").execute("postgres", "CREATE DATABASE shop_bench");
        pg.server("lhr").execute("postgres", "CREATE DATABASE orders");
        TwoRegionLoad load = new TwoRegionLoad(new PgEndpoint("127.0.0.1", fixture.port()));
        for (String db : new String[] {"shop_bench", "orders"}) {
            ProcessResult init = load.pgbench(db, "-i", "-s", "1", "-q");
            assertThat(init.exitCode()).as(init.stderr()).isZero();
        }
        return load;
    }

    /** Both regions at once, for {@code seconds}, two clients each. */
    Done run(int seconds) {
        String t = Integer.toString(seconds);
        CompletableFuture<ProcessResult> iad = CompletableFuture.supplyAsync(
                () -> pgbench("shop_bench", "-M", "prepared", "-c", "2", "-j", "1", "-T", t, "-n"));
        CompletableFuture<ProcessResult> lhr = CompletableFuture.supplyAsync(
                () -> pgbench("orders", "-M", "simple", "-c", "2", "-j", "1", "-T", t, "-n"));
        return new Done(processed(iad.join()), processed(lhr.join()));
    }

    private ProcessResult pgbench(String database, String... args) {
        return PgTools.local().pgbench(proxy, "postgres", null, database, args);
    }

    private static long processed(ProcessResult r) {
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Matcher m = PROCESSED.matcher(r.stdout());
        assertThat(m.find()).as(r.stdout()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
