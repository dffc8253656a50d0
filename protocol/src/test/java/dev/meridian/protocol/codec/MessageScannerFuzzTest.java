package dev.meridian.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer target: the relay's boundary tracker. Scanning the stream in the pieces the fuzzer
 * chose ({@link ChunkedInput}) must report exactly what a plain walk over the whole stream
 * finds: the same messages (type, length, first body byte, once that byte has arrived), the same
 * violation at the same point, and the same "between messages" state at the end. The scanner
 * never moves a buffer's indexes.
 */
class MessageScannerFuzzTest {
    private static final int MAX_MESSAGE_BYTES = 8192;

    @FuzzTest
    void scanInPieces(byte[] data) {
        ChunkedInput input = ChunkedInput.of(data);
        Reference expected = Reference.walk(input.stream(), MAX_MESSAGE_BYTES);
        List<String> seen = new ArrayList<>();
        MessageScanner scanner = new MessageScanner(MAX_MESSAGE_BYTES, (t, l, f) -> seen.add(Reference.event(t, l, f)));
        RecordingAllocator alloc = new RecordingAllocator();
        ProtocolException failure = null;
        for (byte[] piece : input.pieces()) {
            ByteBuf buf = alloc.copyOf(piece);
            try {
                scanner.scan(buf);
                assertThat(buf.readerIndex()).isZero();
                assertThat(buf.writerIndex()).isEqualTo(piece.length);
            } catch (ProtocolException e) {
                failure = e;
                break;
            } finally {
                buf.release();
            }
        }
        assertThat(seen).isEqualTo(expected.events());
        assertThat(failure != null).as("violation %s", failure).isEqualTo(expected.violation());
        if (failure != null) {
            assertThat(failure.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        } else {
            assertThat(scanner.atBoundary()).isEqualTo(expected.atBoundary());
        }
        alloc.assertAllReleased();
    }

    /** The messages of a whole stream, found by the simplest possible walk. */
    record Reference(List<String> events, boolean violation, boolean atBoundary) {
        static Reference walk(byte[] s, int max) {
            List<String> events = new ArrayList<>();
            int at = 0;
            while (s.length - at >= 5) {
                int length = CanonicalForm.int32(s, at + 1);
                if (length < 4 || length > max) {
                    return new Reference(events, true, false);
                }
                if (length == 4) {
                    events.add(event(s[at], length, MessageScanner.NO_BODY));
                } else if (at + 5 < s.length) {
                    events.add(event(s[at], length, s[at + 5] & 0xFF));
                }
                if ((long) at + 1 + length > s.length) {
                    return new Reference(events, false, false);
                }
                at += 1 + length;
            }
            return new Reference(events, false, at == s.length);
        }

        static String event(byte type, int length, int firstBodyByte) {
            return (type & 0xFF) + "/" + length + "/" + firstBodyByte;
        }
    }
}
