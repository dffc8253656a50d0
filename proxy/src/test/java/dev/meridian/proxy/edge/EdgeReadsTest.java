package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeReadsTest {
    private static SqlRequest request(String body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Neon-Connection-String", "postgres://u:p@h/d");
        return SqlRequest.parse(all::get, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theHeaderIsAWalPosition() {
        assertThat(EdgeReads.floor(null)).isEqualTo(-1);
        assertThat(EdgeReads.floor("0/16B3748")).isEqualTo(0x16B3748L);
        assertThat(EdgeReads.floor(" 1/0 ")).isEqualTo(1L << 32);
    }

    @Test
    void aBadHeaderIsA400With22P02NamingTheHeader() {
        for (String bad : new String[] {"16B3748", "x/y", "0/", "/1", "123456789/0", "0/1/2"}) {
            assertThatThrownBy(() -> EdgeReads.floor(bad)).isInstanceOfSatisfying(EdgeException.class, e -> {
                assertThat(e.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
                assertThat(e.sqlState()).isEqualTo("22P02");
                assertThat(e.getMessage()).contains("Meridian-Lsn");
            });
        }
    }

    @Test
    void aRequestOfProvenReadsIsReadOnly() {
        assertThat(EdgeReads.readOnly(request("{\"query\":\"select * from t where id = $1\",\"params\":[1]}", Map.of())))
                .isTrue();
        assertThat(EdgeReads.readOnly(request("{\"queries\":[{\"query\":\"select 1\"},{\"query\":\"show work_mem\"}]}",
                Map.of()))).isTrue();
    }

    @Test
    void aRequestWithAnyPossibleWriteIsNot() {
        assertThat(EdgeReads.readOnly(request("{\"query\":\"insert into t values (1)\"}", Map.of()))).isFalse();
        assertThat(EdgeReads.readOnly(request("{\"query\":\"select * from t for update\"}", Map.of()))).isFalse();
        assertThat(EdgeReads.readOnly(request("{\"query\":\"select nextval('s')\"}", Map.of()))).isFalse();
        assertThat(EdgeReads.readOnly(request("{\"queries\":[{\"query\":\"select 1\"},{\"query\":\"delete from t\"}]}",
                Map.of()))).isFalse();
    }

    @Test
    void aBatchDeclaredReadOnlyIsReadOnlyWhateverItSays() {
        // PostgreSQL itself refuses a write inside BEGIN READ ONLY, on a primary as on a replica.
        assertThat(EdgeReads.readOnly(request("{\"queries\":[{\"query\":\"select my_function()\"}]}",
                Map.of("Neon-Batch-Read-Only", "true")))).isTrue();
        assertThat(EdgeReads.readOnly(request("{\"query\":\"select my_function()\"}",
                Map.of("Neon-Batch-Read-Only", "true")))).as("not a batch: no READ ONLY transaction").isFalse();
    }

    @Test
    void thePositionQueryGoesAfterItsOwnSyncSoItRunsAfterTheCommit() {
        List<SqlPlan.Step> steps = new ArrayList<>(SqlPlan.steps(request("{\"query\":\"insert into t values (1)\"}",
                Map.of()), null));
        steps.add(SqlPlan.LSN);
        assertThat(SqlPlan.syncs(steps)).isEqualTo(2);
        ByteBuf out = Unpooled.buffer();
        try {
            SqlPlan.encode(out, steps);
            StringBuilder types = new StringBuilder();
            while (out.isReadable()) {
                types.append((char) out.readByte());
                out.skipBytes(out.readInt() - 4);
            }
            // Parse, Bind, Describe, Execute, Sync for the request; then the same for the position query.
            assertThat(types.toString()).isEqualTo("PBDES" + "PBDES");
        } finally {
            out.release();
        }
    }
}
