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

    static void encode(ByteBuf out, List<Step> steps) {
        for (Step step : steps) {
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
