package dev.meridian.proxy.edge;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.backend.BackendException;
import dev.meridian.proxy.backend.pool.PoolExhaustedException;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.EdgeConfig;
import dev.meridian.proxy.readrouting.Lsn;
import dev.meridian.proxy.routing.RouteDecision;
import dev.meridian.proxy.routing.Router;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend side of one {@code /sql} request: borrows a pooled connection from the route's
 * candidates in order (an unreachable backend passes the request to the next, inside the
 * residency boundary, as for TCP sessions), runs the plan, and turns the outcome into the answer.
 * The pool key is (backend, user, database), the same as a TCP session of that user, so HTTP
 * requests share warm connections with TCP sessions and {@code pool.min_idle}.
 */
final class SqlBackend {
    private final EdgeServer edge;
    private final EventLoop loop;
    private RouteDecision route;
    private final SqlRequest request;
    private final ConnectionString connection;
    private final boolean jwt;
    private final ByteBufAllocator alloc;
    private final Promise<SqlEndpoint.Answer> answer;
    private List<SqlPlan.Step> steps;
    private long floor = -1;
    /** A causal wait on the route's first candidate (a replica) is pending; null: none. */
    private EdgeReads.Plan waitFor;
    /** The backend that refused the request as a write (25006), or null. */
    private String refusedAsWriteBy;

    SqlBackend(EdgeServer edge, Channel http, RouteDecision route, SqlRequest request, boolean jwt) {
        this.edge = edge;
        this.loop = http.eventLoop();
        this.alloc = http.alloc();
        this.route = route;
        this.request = request;
        this.connection = request.connection();
        this.jwt = jwt;
        this.answer = loop.newPromise();
    }

    /** The read-your-writes floor the request was routed by (target: auto), or -1: returned as Meridian-Lsn. */
    SqlBackend floor(long lsn) {
        this.floor = lsn;
        return this;
    }

    /** The request waits on its route's replica for the plan's floor first (EdgeReads.Plan#waits). */
    SqlBackend causalWait(EdgeReads.Plan plan) {
        this.waitFor = plan != null && plan.waits() ? plan : null;
        return this;
    }

    Future<SqlEndpoint.Answer> run(List<SqlPlan.Step> plan) {
        this.steps = plan;
        tryCandidate(0);
        return answer;
    }

    private void tryCandidate(int index) {
        BackendConfig backend = route.candidates().get(index);
        BackendCredentials credentials = credentials(backend);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", credentials.user());
        params.put("database", route.backendDatabase());
        params.put("client_encoding", "UTF8"); // the JSON answer is UTF-8 whatever the database's default
        long start = System.nanoTime();
        var proxy = edge.proxy();
        proxy.pool().acquire(loop, backend, new StartupMessage(StartupMessage.PROTOCOL_3_0, params), credentials,
                proxy.config().limits().startupTimeout()).addListener(f -> {
                    if (f.isSuccess()) {
                        PooledConnection lease = (PooledConnection) f.getNow();
                        proxy.metrics().backendConnected(backend, lease.reused(), System.nanoTime() - start);
                        if (waitFor != null) {
                            await(lease);
                            return;
                        }
                        proxy.metrics().routeDecided(route.clientRegion(), backend.region(), route.reasonAt(index));
                        execute(lease);
                    } else if (waitFor != null) {
                        if (f.cause() instanceof BackendException e && e.unreachable()) {
                            proxy.healthMonitor().suspect(backend, e.getMessage());
                        }
                        waited(false); // the replica cannot give a connection (down, refusing, full): the primary
                    } else if (f.cause() instanceof PoolExhaustedException e) {
                        refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, SqlState.TOO_MANY_CONNECTIONS, e.getMessage(), null);
                    } else {
                        failed(index, (BackendException) f.cause());
                    }
                });
    }

    /**
     * The causal wait on the replica (docs/read-routing.md): the request runs on {@code lease} once
     * the replica has replayed the floor, else on the primary's route once health.causal_wait is over.
     */
    private void await(PooledConnection lease) {
        var proxy = edge.proxy();
        new ReplayWait(lease.channel(), lease.backend().name(), reusable -> proxy.pool().release(lease, reusable),
                proxy.healthMonitor().positions(), waitFor.floor(), proxy.config().health().causalWait()).run().addListener(f -> {
                    boolean passed = f.isSuccess() && Boolean.TRUE.equals(f.getNow());
                    RouteDecision replica = route;
                    waited(passed);
                    if (passed) {
                        proxy.metrics().routeDecided(replica.clientRegion(), lease.backend().region(), replica.reasonAt(0));
                        execute(lease);
                    }
                });
    }

    /** The causal wait is over: counted; not passed, the request goes to the primary's route. */
    private void waited(boolean passed) {
        EdgeReads.waited(edge.proxy(), waitFor, passed);
        if (!passed) {
            route = waitFor.primary();
            waitFor = null;
            tryCandidate(0);
        }
        waitFor = null;
    }

    /** The backend's own login; else the client's password; a JWT request without one logs in as the user named. */
    private BackendCredentials credentials(BackendConfig backend) {
        if (backend.user() != null) {
            return BackendCredentials.password(backend.user(), backend.password());
        }
        return jwt || connection.password() == null ? BackendCredentials.none(connection.user())
                : BackendCredentials.password(connection.user(), connection.password());
    }

    private void failed(int index, BackendException e) {
        if (e.unreachable()) {
            edge.proxy().healthMonitor().suspect(route.candidates().get(index), e.getMessage());
            if (index + 1 < route.candidates().size()) {
                tryCandidate(index + 1);
                return;
            }
            var refusal = Router.noBackend(route.database(), route.rule());
            refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, refusal.sqlState(), refusal.getMessage(), null);
        } else if (e.serverError() != null) {
            // The backend refused the login (e.g. 3D000: the database does not exist there).
            boolean missing = SqlState.INVALID_CATALOG_NAME.equals(e.serverError().sqlState());
            answer.setSuccess(new SqlEndpoint.Answer(HttpReplies.json(alloc,
                    missing ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.BAD_REQUEST,
                    ResultJson.error(e.serverError())), null));
        } else {
            refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, SqlState.CONNECTION_FAILURE, e.getMessage(), null);
        }
    }

    private void execute(PooledConnection lease) {
        EdgeConfig.Limits limits = edge.config().limits();
        String region = lease.backend().region();
        new SqlExchange(lease, edge.proxy().pool(), edge.proxy().connector(), steps, limits.maxResponseBytes())
                .run(limits.requestTimeout()).addListener(f -> {
                    SqlExchange.Outcome outcome = (SqlExchange.Outcome) f.getNow();
                    ResultCollector c = outcome.collector();
                    if (c.error() != null) {
                        if (SqlState.READ_ONLY_SQL_TRANSACTION.equals(c.error().sqlState())) {
                            refusedAsWriteBy = lease.backend().name();
                        }
                        answer.setSuccess(new SqlEndpoint.Answer(HttpReplies.json(alloc,
                                HttpResponseStatus.BAD_REQUEST, ResultJson.error(c.error())), region));
                    } else if (outcome.broken()) {
                        refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, SqlState.CONNECTION_FAILURE,
                                "the backend connection closed during the request", region);
                    } else if (c.tooLarge()) {
                        refuse(HttpResponseStatus.INSUFFICIENT_STORAGE, "54000",
                                "response is larger than edge.limits.max_response_bytes (" + limits.maxResponseBytes() + ")",
                                region);
                    } else {
                        answer.setSuccess(new SqlEndpoint.Answer(ok(c.results(), region), region));
                    }
                });
    }

    /** The backend that answered the request with 25006 (read_only_sql_transaction), or null. */
    String refusedAsWriteBy() {
        return refusedAsWriteBy;
    }

    /** 200 with the results; the position query's result (target: auto) becomes Meridian-Lsn instead. */
    private FullHttpResponse ok(List<ResultCollector.Result> results, String region) {
        long lsn = floor;
        List<ResultCollector.Result> own = results;
        if (steps.contains(SqlPlan.LSN) && !results.isEmpty()) {
            own = results.subList(0, results.size() - 1);
            List<String[]> rows = results.get(results.size() - 1).rows();
            Long learned = rows.isEmpty() || rows.get(0)[0] == null ? null : Lsn.parseOrNull(rows.get(0)[0]);
            lsn = learned == null ? lsn : Math.max(lsn, learned);
        }
        FullHttpResponse ok = HttpReplies.json(alloc, HttpResponseStatus.OK, ResultJson.results(
                own, request.batch(), request.arrayMode(), request.rawText()));
        ok.headers().set("Meridian-Backend-Region", region);
        if (lsn >= 0) {
            ok.headers().set(EdgeReads.HEADER, Lsn.format(lsn));
        }
        return ok;
    }

    private void refuse(HttpResponseStatus status, String sqlState, String message, String region) {
        FullHttpResponse response = HttpReplies.error(alloc, status, sqlState, message);
        if (status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        answer.setSuccess(new SqlEndpoint.Answer(response, region));
    }
}
