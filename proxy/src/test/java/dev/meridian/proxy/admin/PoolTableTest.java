package dev.meridian.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.backend.pool.ServerList;
import dev.meridian.proxy.ops.PoolRow;
import dev.meridian.proxy.session.SessionRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolTableTest {
    private static SessionRegistry.Entry session(long id, String db, SessionRegistry.State state, long waitStart) {
        return new SessionRegistry.Entry(id, "alice", db, "app", db, "lhr-1", "lhr", null, Instant.EPOCH, state,
                waitStart, null, null);
    }

    private static ServerList.Server server(String db, String state) {
        return new ServerList.Server("lhr-1", "lhr", "app", db, state, Instant.EPOCH, 42, false);
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
                5_000);
        assertThat(rows).containsExactly(
                new PoolRow("orders", "app", "lhr-1", "lhr", 1, 2, 1, 2, 4_000),
                new PoolRow("postgres", "app", "lhr-1", "lhr", 0, 0, 0, 1, 0),
                new PoolRow("shop", "app", "lhr-1", "lhr", 1, 0, 0, 0, 0));
    }
}
