package dev.meridian.proxy.edge;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.auth.LookupScope;
import dev.meridian.proxy.auth.UserSecret;
import dev.meridian.proxy.config.AuthMethod;
import dev.meridian.proxy.routing.ClientAddress;
import dev.meridian.proxy.routing.RouteDecision;
import dev.meridian.proxy.routing.RouteRequest;
import dev.meridian.proxy.routing.Router;
import dev.meridian.proxy.routing.SessionTarget;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sql}: parse, authenticate (the connection string's password, or a JWT), route
 * like a TCP session, borrow a pooled connection ({@link SqlBackend}), answer.
 *
 * <pre>
 * request ─▶ parse ─▶ JWT? verify : password check ─▶ route ─▶ pool ─▶ {@link SqlExchange} ─▶ JSON
 * </pre>
 * Every failure is an {@link Answer} with a JSON body carrying a SQLSTATE; nothing here throws.
 * A token never reaches the backend before it is verified.
 */
final class SqlEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SqlEndpoint.class);

    /** The HTTP answer, and the region of the backend that ran the request (null: none did). */
    record Answer(FullHttpResponse response, String backendRegion) {
    }

    private final EdgeServer edge;
    private final Channel channel;
    private final EventLoop loop;
    private final ClientAddress client;
    private final Promise<Answer> answer;
    private SqlRequest request;
    private EdgeException parseError;
    private final String lsnHeader;

    SqlEndpoint(EdgeServer edge, Channel channel, FullHttpRequest http, ClientAddress client) {
        this.edge = edge;
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.client = client;
        this.answer = loop.newPromise();
        this.lsnHeader = http.headers().get(EdgeReads.HEADER);
        try {
            request = SqlRequest.parse(http.headers()::get, ByteBufUtil.getBytes(http.content()));
        } catch (EdgeException e) {
            parseError = e;
        }
    }

    Future<Answer> run() {
        if (parseError != null) {
            return fail(parseError);
        }
        if (!edge.enter()) {
            FullHttpResponse busy = HttpReplies.error(channel.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS,
                    SqlState.TOO_MANY_CONNECTIONS, "too many concurrent requests (edge.limits.max_concurrent_requests)");
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            answer.setSuccess(new Answer(busy, null));
            return answer;
        }
        answer.addListener(f -> edge.leave());
        try {
            start();
        } catch (EdgeException e) {
            fail(e);
        } catch (ProtocolException e) {
            fail(refusal(e));
        }
        return answer;
    }

    private void start() {
        long floor = EdgeReads.floor(lsnHeader);
        JwtVerifier.Verified jwt = null;
        if (request.bearer() != null) {
            JwtVerifier verifier = edge.jwt();
            if (verifier == null) {
                throw new EdgeException(HttpResponseStatus.UNAUTHORIZED, SqlState.INVALID_AUTHORIZATION,
                        "bearer tokens are not accepted here (no edge.jwt configured)");
            }
            jwt = verifier.verify(request.bearer());
        }
        RouteDecision route = route(Map.of());
        EdgeReads.Plan plan = null;
        if (route.target() == SessionTarget.AUTO) {
            // A read-only batch too: it honours the floor and is counted like any request of an auto database.
            plan = EdgeReads.plan(edge.proxy(), route, request, floor);
        } else if (request.batch() && Boolean.TRUE.equals(request.mode().readOnly())) {
            route = route(Map.of(RouteRequest.TARGET_OPTION, "read-only"));
        }
        if ((plan == null ? route : plan.route()).ranked().isEmpty()) {
            throw Router.noBackend(request.connection().database(), route.rule());
        }
        JwtVerifier.Verified token = jwt;
        if (jwt != null || edge.proxy().config().auth().method() == AuthMethod.TRUST) {
            open(route, plan, token);
            return;
        }
        checkPassword(route, plan);
    }

    private RouteDecision route(Map<String, String> options) {
        return edge.proxy().router().route(RouteRequest.of(request.connection().database(), client, options),
                edge.proxy().health());
    }

    /** The connection string's password, checked like a TCP login (users file, then auth_query). */
    private void checkPassword(RouteDecision route, EdgeReads.Plan plan) {
        ConnectionString c = request.connection();
        LookupScope scope = new LookupScope(loop, route.candidates(), route.backendDatabase());
        edge.proxy().users().lookup(c.user(), scope).addListener((FutureListener<Optional<UserSecret>>) f -> {
            if (!f.isSuccess()) {
                fail(new EdgeException(HttpResponseStatus.SERVICE_UNAVAILABLE, SqlState.CONNECTION_FAILURE,
                        "could not look up user \"" + c.user() + "\": " + f.cause().getMessage()));
            } else if (!edge.passwords().matches(c.user(), f.getNow(), c.password())) {
                edge.proxy().authFailed("password");
                edge.proxy().users().invalidate(c.user());
                fail(new EdgeException(HttpResponseStatus.BAD_REQUEST, SqlState.INVALID_PASSWORD,
                        "password authentication failed for user \"" + c.user() + "\""));
            } else {
                open(route, plan, null);
            }
        });
    }

    /** @param plan the read routing of a target: auto database, else null */
    private void open(RouteDecision route, EdgeReads.Plan plan, JwtVerifier.Verified jwt) {
        List<SqlPlan.Step> steps = SqlPlan.steps(request, jwt);
        if (plan != null && plan.learn()) {
            steps.add(SqlPlan.LSN);
        }
        SqlBackend backend = new SqlBackend(edge, channel, plan == null ? route : plan.route(), request, jwt != null)
                .floor(plan == null ? -1 : plan.floor()).causalWait(plan);
        backend.run(steps).addListener(f -> {
            if (f.isSuccess() && EdgeReads.refusedRead(plan, request, backend.refusedAsWriteBy())) {
                // A read that writes after all (25006 from the replica): the primary runs it, unseen.
                ((Answer) f.getNow()).response().release();
                open(route, EdgeReads.fellBack(edge.proxy(), plan, route), jwt);
            } else if (f.isSuccess()) {
                answer.setSuccess((Answer) f.getNow());
            } else {
                LOG.warn("edge request failed unexpectedly: {}", f.cause().toString());
                fail(new EdgeException(HttpResponseStatus.INTERNAL_SERVER_ERROR, SqlState.INTERNAL_ERROR,
                        "internal error"));
            }
        });
    }

    /** 3D000 (no such database here) is a 404, as a missing resource; others by their class. */
    private static EdgeException refusal(ProtocolException e) {
        HttpResponseStatus status = switch (e.sqlState()) {
            case SqlState.INVALID_CATALOG_NAME -> HttpResponseStatus.NOT_FOUND;
            case SqlState.CANNOT_CONNECT_NOW -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
        return new EdgeException(status, e.sqlState(), e.getMessage());
    }

    private Future<Answer> fail(EdgeException e) {
        FullHttpResponse response = HttpReplies.error(channel.alloc(), e.status(), e.sqlState(), e.getMessage());
        if (e.status().equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        answer.trySuccess(new Answer(response, null));
        return answer;
    }
}
