package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.pooling.PinReason;
import dev.meridian.proxy.pooling.PreparedStatements;
import dev.meridian.proxy.pooling.Reply;
import dev.meridian.proxy.pooling.ReplyPlan;
import dev.meridian.proxy.pooling.ServerStatements;
import dev.meridian.proxy.pooling.SqlTokens;
import dev.meridian.proxy.pooling.StatementText;
import dev.meridian.proxy.pooling.Step;
import dev.meridian.proxy.pooling.TransactionState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The client-to-backend half of a transaction-pooled session: each client message updates the
 * transaction state (pins), then goes to the attached connection as {@link PreparedStatements}
 * decides (unchanged, renamed, preceded by a Parse, or answered by Meridian).
 */
final class TxnRequests implements ReplyPlan.Retrier {
    private final TxnContext ctx;
    private final TransactionState state;
    private final PreparedStatements statements;
    /** A request whose first Bind may be retried: Bind, Describe, Execute, Sync (retained copies). */
    private List<Frame> kept;
    private boolean keptWhole;
    private Channel backend;

    TxnRequests(TxnContext ctx, TransactionState state, PreparedStatements statements) {
        this.ctx = ctx;
        this.state = state;
        this.statements = statements;
        if (state.sharesStatements()) {
            statements.retrier(this);
        }
    }

    /** Sends {@code f} (taken over) to {@code backend}, whose statements are {@code server}. */
    void send(Frame f, Channel backend, ServerStatements server) {
        byte type = f.type();
        ByteBuf body = f.body();
        String sql = type == 'Q' ? Texts.cstring(body, 0) : null;
        List<List<String>> tokens = sql == null ? null : SqlTokens.statements(sql);
        List<PinReason> pins = switch (type) {
            case 'Q' -> state.query(tokens, sql);
            case 'P' -> state.parse(Texts.cstring(body, 0), Texts.cstring(body, 1));
            case 'B' -> state.bind(Texts.cstring(body, 1));
            case 'C' -> state.close(kind(body), nameAfterKind(body));
            case 'F' -> state.functionCall();
            default -> List.of();
        };
        pins.forEach(ctx::pinned);
        state.clientSent(type);
        int size = f.content().readableBytes();
        ctx.tally().clientMessage(type);
        ctx.tally().received(size);
        ctx.meters().clientMessage(type);
        ctx.meters().fromClient(size);
        this.backend = backend;
        keep(f, type, body);
        List<Step> steps = steps(statements, state.sharesStatements(), type, body, server, tokens);
        if (type == 'B' && statements.retryCandidate()) {
            release();
            kept = new ArrayList<>(4);
            kept.add(f.retain());
        }
        StatementWriter.write(backend, f, steps);
    }

    /** While a retry is possible, keeps what follows the Bind up to its Sync; anything else ends it. */
    private void keep(Frame f, byte type, ByteBuf body) {
        if (kept == null) {
            return;
        }
        if (!keptWhole && (type == 'E' || type == 'D' && body.isReadable() && body.getByte(body.readerIndex()) == 'P')) {
            kept.add(f.retain());
        } else if (!keptWhole && type == 'S') {
            kept.add(f.retain());
            keptWhole = true;
        } else {
            statements.abandonRetry();
            release();
        }
    }

    /** The Bind failed on a stale plan: the request goes again, on a freshly prepared statement. */
    @Override
    public void retry(Reply.Retry retry) {
        List<Frame> frames = kept;
        kept = null;
        if (frames == null || !keptWhole) {
            if (frames != null) {
                frames.forEach(Frame::release);
            }
            return;
        }
        Frame bind = frames.get(0);
        state.clientSent(bind.type());
        StatementWriter.write(backend, bind, statements.retry(retry));
        for (Frame f : frames.subList(1, frames.size())) {
            state.clientSent(f.type());
            StatementWriter.write(backend, f, steps(statements, true, f.type(), f.body(), retry.server(), null));
        }
        backend.flush();
    }

    /** Client statement {@code name} is forgotten (see {@link PreparedStatements#forget}). */
    void forget(String name) {
        statements.forget(name);
    }

    @Override
    public void noRetry() {
        release();
    }

    /** Lets go of what was kept for a retry (also when the session ends). */
    void release() {
        if (kept != null) {
            kept.forEach(Frame::release);
            kept = null;
        }
        keptWhole = false;
    }

    /** What to send for a client message of {@code type}; {@code tokens}: a Query's, else null. */
    static List<Step> steps(PreparedStatements statements, boolean shared, byte type, ByteBuf body,
                            ServerStatements server, List<List<String>> tokens) {
        if (!shared) {
            return statements.other(type);
        }
        return switch (type) {
            case 'P' -> {
                String sql = Texts.cstring(body, 1);
                // DEALLOCATE ALL, DISCARD ALL, COMMIT, ROLLBACK TO ... are short
                List<List<String>> t = sql.length() < 512 ? SqlTokens.statements(sql) : List.of();
                statements.parseText(server, Texts.cstring(body, 0), t);
                yield statements.parse(server, Texts.cstring(body, 0), tail(body), PreparedStatements.exitsTransaction(t));
            }
            case 'B' -> statements.bind(server, Texts.cstring(body, 1));
            case 'D' -> statements.describe(server, kind(body), nameAfterKind(body));
            case 'C' -> statements.close(kind(body), nameAfterKind(body));
            case 'Q' -> statements.query(server, tokens);
            default -> statements.other(type);
        };
    }

    /** Describe and Close: a kind byte, then the name ("" when the message is cut short). */
    private static String nameAfterKind(ByteBuf body) {
        if (body.readableBytes() < 2) {
            return "";
        }
        return Texts.cstring(body.slice(body.readerIndex() + 1, body.readableBytes() - 1), 0);
    }

    private static byte kind(ByteBuf body) {
        return body.isReadable() ? body.getByte(body.readerIndex()) : 0;
    }

    /** A Parse's body after the statement name: query text, parameter types. */
    private static StatementText tail(ByteBuf body) {
        int nul = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
        int from = nul < 0 ? body.writerIndex() : nul + 1;
        byte[] bytes = new byte[body.writerIndex() - from];
        body.getBytes(from, bytes);
        return new StatementText(bytes);
    }
}
