package dev.meridian.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.backend.pool.ServerList;
import dev.meridian.proxy.backend.pool.TransactionPools;
import dev.meridian.proxy.ops.PoolRow;
import dev.meridian.proxy.session.SessionRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolTableTest {
    private static SessionRegistry.Entry session(long id, String db, SessionRegistry.State state, long waitStart) {
        return new SessionRegistry.Entry(id, "alice", db, "app", db, "lhr-1", "lhr", null, Instant.EPOCH, state,
                waitStart, null, null, null);
    }

    private static ServerList.Server server(String db, String state) {
        return new ServerList.Server("lhr-1", "lhr", "app", db, state, Instant.EPOCH, 42, false, false);
    }

    @Test
    void onePoolPerDatabaseUserAndBackendWithClientsAndServersCounted() {
        List<PoolRow> rows = PoolTable.rows(
                List.of(session(1, "orders", SessionRegistry.State.ACTIVE, 0),
                        session(2, "orders", SessionRegistry.State.WAITING, 1_000),
                        session(3, "orders", SessionRegistry.State.WAITING, 3_000),
                        session(4, "shop", SessionRegistry.State.ACTIVE, 0)),
                List.of(server("orders", "active"), server("orders", "idle"), server("orders", "idle"),
                        server("postgres", "idle")),
                List.of(), 5_000);
        assertThat(rows).containsExactly(
                new PoolRow("orders", "app", "lhr-1", "lhr", 1, 2, 1, 2, 4_000),
                new PoolRow("postgres", "app", "lhr-1", "lhr", 0, 0, 0, 1, 0),
                new PoolRow("shop", "app", "lhr-1", "lhr", 1, 0, 0, 0, 0));
    }

    @Test
    void transactionPoolsHaveTheirOwnRowsSummedPerKeyAndTheirSessionsAndServersLeaveTheSessionRows() {
        SessionRegistry.Entry pooled = new SessionRegistry.Entry(5, "alice", "orders", "app", "orders", "lhr-1", "lhr",
                null, Instant.EPOCH, SessionRegistry.State.ACTIVE, 0, null, null, () -> "listen");
        ServerList.Server shared = new ServerList.Server("lhr-1", "lhr", "app", "orders", "active", Instant.EPOCH, 43,
                false, true);
        List<PoolRow> rows = PoolTable.rows(
                List.of(session(1, "orders", SessionRegistry.State.ACTIVE, 0), pooled),
                List.of(server("orders", "active"), shared),
                List.of(new TransactionPools.Stats("orders", "app", "lhr-1", "lhr", 5, 2, 1, 0, 700),
                        new TransactionPools.Stats("orders", "app", "lhr-1", "lhr", 2, 0, 0, 1, 0),
                        new TransactionPools.Stats("orders", "app", "lhr-1", "lhr", 0, 1, 0, 0, 300)),
                5_000);
        assertThat(rows).containsExactly(
                new PoolRow("orders", "app", "lhr-1", "lhr", 1, 0, 1, 0, 0, "session"),
                new PoolRow("orders", "app", "lhr-1", "lhr", 5, 3, 1, 1, 700, "transaction"));
    }
}
