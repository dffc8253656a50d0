package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.pooling.PinReason;
import dev.meridian.proxy.pooling.PreparedStatements;
import dev.meridian.proxy.pooling.ServerStatements;
import dev.meridian.proxy.pooling.SqlTokens;
import dev.meridian.proxy.pooling.StatementText;
import dev.meridian.proxy.pooling.Step;
import dev.meridian.proxy.pooling.TransactionState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.List;

/**
 * The client-to-backend half of a transaction-pooled session: each client message updates the
 * transaction state (pins), then goes to the attached connection as {@link PreparedStatements}
 * decides (unchanged, renamed, preceded by a Parse, or answered by Meridian).
 */
final class TxnRequests {
    private final TxnContext ctx;
    private final TransactionState state;
    private final PreparedStatements statements;

    TxnRequests(TxnContext ctx, TransactionState state, PreparedStatements statements) {
        this.ctx = ctx;
        this.state = state;
        this.statements = statements;
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
        StatementWriter.write(backend, f, steps(type, body, server, tokens));
    }

    private List<Step> steps(byte type, ByteBuf body, ServerStatements server, List<List<String>> tokens) {
        if (!state.sharesStatements()) {
            return statements.other(type);
        }
        return switch (type) {
            case 'P' -> {
                String sql = Texts.cstring(body, 1);
                // DEALLOCATE ALL, DISCARD ALL, COMMIT, ROLLBACK TO ... are short
                List<List<String>> t = sql.length() < 512 ? SqlTokens.statements(sql) : List.of();
                statements.parseText(server, t);
                yield statements.parse(server, Texts.cstring(body, 0), tail(body), PreparedStatements.exitsTransaction(t));
            }
            case 'B' -> statements.bind(server, Texts.cstring(body, 1));
            case 'D' -> statements.describe(server, kind(body), Texts.cstring(body.slice(body.readerIndex() + 1,
                    Math.max(0, body.readableBytes() - 1)), 0));
            case 'C' -> statements.close(kind(body), Texts.cstring(body.slice(body.readerIndex() + 1,
                    Math.max(0, body.readableBytes() - 1)), 0));
            case 'Q' -> statements.query(server, tokens);
            default -> statements.other(type);
        };
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
