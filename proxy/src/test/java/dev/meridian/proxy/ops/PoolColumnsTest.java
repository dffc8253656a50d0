package dev.meridian.proxy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolColumnsTest {
    private static final PoolRow ROW = new PoolRow("orders", "app", "lhr-1", "lhr", 2, 1, 2, 3, 2_500_000_000L);

    @Test
    void pgBouncersColumnsWithMaxwaitSplitIntoSecondsAndMicroseconds() {
        PoolColumns columns = new PoolColumns();
        assertThat(columns.names()).containsExactly("database", "user", "backend", "backend_region", "cl_active",
                "cl_waiting", "sv_active", "sv_idle", "maxwait", "maxwait_us", "pool_mode");
        assertThat(columns.rows(List.of(ROW))).containsExactly(
                List.of("orders", "app", "lhr-1", "lhr", "2", "1", "2", "3", "2", "500000", "session"));
    }

    @Test
    void aPluggedColumnReplacesOneOfTheSameNameOrIsAdded() {
        PoolColumns columns = new PoolColumns();
        columns.plug(new PoolColumn("pool_mode", r -> "transaction"));
        columns.plug(new PoolColumn("sv_pinned", r -> "0"));
        assertThat(columns.names()).endsWith("pool_mode", "sv_pinned");
        assertThat(columns.rows(List.of(ROW)).get(0)).endsWith("transaction", "0");
    }
}
