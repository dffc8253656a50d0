package dev.meridian.proxy.edge;

import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.codec.MessageWriter;
import dev.meridian.protocol.message.FrontendMessages;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code /sql} request sends the backend, in one flight ending in a single Sync, so the
 * whole request costs one round trip: each statement as Parse/Bind/Describe/Execute with text
 * parameters. A batch (or any request carrying a JWT) runs inside BEGIN ... COMMIT; a JWT's
 * role and claims are set first with {@code set_config(..., true)}, PostgREST's way, so they end
 * with the transaction. An error makes the server skip to the Sync: nothing after it runs.
 */
final class SqlPlan {
    /** @param visible its result goes into the answer (the request's own statements) */
    record Step(String sql, List<String> params, boolean visible) {
    }

    /**
     * The primary's position after a request that may have written (target: auto): sent after
     * the request's own Sync, so it runs once the request's transaction has committed, in the same
     * flight (docs/read-routing.md). Its result is not part of the answer.
     */
    static final Step LSN = new Step("SELECT pg_current_wal_insert_lsn()::text", List.of(), true);

    static final String SET_JWT = "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";

    private SqlPlan() {
    }

    /** @param jwt the verified token's role and claims, or null */
    static List<Step> steps(SqlRequest request, JwtVerifier.Verified jwt) {
        boolean transaction = request.batch() || jwt != null;
        List<Step> steps = new ArrayList<>();
        if (transaction) {
            steps.add(new Step(request.batch() ? request.mode().begin() : "BEGIN", List.of(), false));
        }
        if (jwt != null) {
            steps.add(new Step(SET_JWT, java.util.Arrays.asList(jwt.role(), jwt.claimsJson()), false));
        }
        for (SqlRequest.Statement s : request.statements()) {
            steps.add(new Step(s.query(), s.params(), true));
        }
        if (transaction) {
            steps.add(new Step("COMMIT", List.of(), false));
        }
        return steps;
    }

    /** How many ReadyForQuery the backend sends for {@code steps}: one per Sync. */
    static int syncs(List<Step> steps) {
        return 1 + (int) steps.stream().filter(LSN::equals).count();
    }

    static void encode(ByteBuf out, List<Step> steps) {
        for (Step step : steps) {
            if (step.equals(LSN)) {
                FrontendMessages.sync(out);
            }
            FrontendMessages.parse(out, "", step.sql());
            FrontendMessages.bind(out, "", "", step.params().toArray(new String[0]));
            if (step.visible()) {
                MessageWriter.write(out, 'D', b -> {
                    b.writeByte('P');
                    CStrings.write(b, "");
                });
            }
            FrontendMessages.execute(out, "", 0);
        }
        FrontendMessages.sync(out);
    }
}
