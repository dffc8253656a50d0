package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.MessageScanner.NO_BODY;
import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.hex;
import static dev.meridian.protocol.codec.Wire.repeat;
import static dev.meridian.protocol.codec.Wire.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakCheck.class)
class MessageScannerTest {
    private static final int MAX = 64 * 1024;

    /**
     * What PostgreSQL sends for an extended-protocol {@code SELECT generate_series(1,3) AS n}:
     * ParseComplete, BindComplete, RowDescription, three DataRows, CommandComplete, ReadyForQuery.
     */
    private static final byte[] RESULT = concat(
            hex("31 00 00 00 04"),
            hex("32 00 00 00 04"),
            hex("54 00 00 00 1a  00 01"), ascii("n\0"), hex("00 00 00 00  00 00  00 00 00 17  00 04  ff ff ff ff  00 00"),
            hex("44 00 00 00 0b  00 01  00 00 00 01  31"),
            hex("44 00 00 00 0b  00 01  00 00 00 01  32"),
            hex("44 00 00 00 0b  00 01  00 00 00 01  33"),
            hex("43 00 00 00 0d"), ascii("SELECT 3\0"),
            hex("5a 00 00 00 05  49"));

    private static final List<Event> RESULT_EVENTS = List.of(
            new Event('1', 4, NO_BODY),
            new Event('2', 4, NO_BODY),
            new Event('T', 26, 0x00),
            new Event('D', 11, 0x00),
            new Event('D', 11, 0x00),
            new Event('D', 11, 0x00),
            new Event('C', 13, 'S'),
            new Event('Z', 5, 'I'));

    /** Offsets in RESULT where a message starts or the stream ends. */
    private static final Set<Integer> BOUNDARIES = Set.of(0, 5, 10, 37, 49, 61, 73, 87, 93);

    record Event(char type, int length, int firstBodyByte) {
    }

    private final List<Event> events = new ArrayList<>();
    private final MessageScanner scanner = new MessageScanner(MAX,
            (type, length, first) -> events.add(new Event((char) type, length, first)));

    @Test
    void reportsEveryMessageOfAnUnsplitStream() {
        assertThat(RESULT).hasSize(93);

        scan(RESULT);

        assertThat(events).isEqualTo(RESULT_EVENTS);
        assertThat(scanner.atBoundary()).isTrue();
    }

    @Test
    void reportsTheSameForAStreamSplitIntoOneToThreeBuffersAtEveryOffset() {
        for (int a = 0; a <= RESULT.length; a++) {
            for (int b = a; b <= RESULT.length; b++) {
                List<Event> seen = new ArrayList<>();
                MessageScanner s = new MessageScanner(MAX, (t, l, f) -> seen.add(new Event((char) t, l, f)));

                scan(s, slice(RESULT, 0, a));
                scan(s, slice(RESULT, a, b));
                scan(s, slice(RESULT, b, RESULT.length));

                assertThat(seen).as("split at %d/%d", a, b).isEqualTo(RESULT_EVENTS);
                assertThat(s.atBoundary()).isTrue();
            }
        }
    }

    @Test
    void reportsTheSameWhenFedOneByteAtATime() {
        for (byte b : RESULT) {
            scan(new byte[] {b});
        }

        assertThat(events).isEqualTo(RESULT_EVENTS);
    }

    @Test
    void isAtBoundaryOnlyBetweenMessages() {
        for (int k = 0; k <= RESULT.length; k++) {
            MessageScanner s = new MessageScanner(MAX, (t, l, f) -> { });
            scan(s, slice(RESULT, 0, k));

            assertThat(s.atBoundary()).as("after %d bytes", k).isEqualTo(BOUNDARIES.contains(k));
        }
    }

    @Test
    void isAtBoundaryBeforeAnyInput() {
        assertThat(scanner.atBoundary()).isTrue();
    }

    @Test
    void reportsNoBodyForEmptyBodyMessageEndingTheBuffer() {
        scan(hex("31 00 00 00 04"));

        assertThat(events).containsExactly(new Event('1', 4, NO_BODY));
        assertThat(scanner.atBoundary()).isTrue();
    }

    @Test
    void reportsNoBodyForEmptyBodyMessageFollowedByAnother() {
        scan(hex("32 00 00 00 04  6e 00 00 00 04  5a 00 00 00 05  54"));

        assertThat(events).containsExactly(new Event('2', 4, NO_BODY), new Event('n', 4, NO_BODY),
                new Event('Z', 5, 'T'));
    }

    @Test
    void reportsNoBodyForEmptyBodyMessageWhoseHeaderStraddlesBuffers() {
        scan(hex("33 00 00"));
        scan(hex("00 04  49"));

        assertThat(events).containsExactly(new Event('3', 4, NO_BODY));
    }

    @Test
    void waitsForTheFirstBodyByteWhenTheHeaderEndsTheBuffer() {
        scan(hex("5a 00 00 00 05"));
        assertThat(events).isEmpty();
        assertThat(scanner.atBoundary()).isFalse();

        scan(hex("45"));

        assertThat(events).containsExactly(new Event('Z', 5, 'E'));
        assertThat(scanner.atBoundary()).isTrue();
    }

    @Test
    void reportsFirstBodyByteAsUnsigned() {
        scan(hex("64 00 00 00 05  ff"));

        assertThat(events).containsExactly(new Event('d', 5, 0xff));
    }

    @Test
    void reportsALargeMessageSpreadOverManyBuffersOnce() {
        int bodyLength = 1 << 20;
        MessageScanner s = new MessageScanner(2 << 20, (t, l, f) -> events.add(new Event((char) t, l, f)));
        byte[] body = repeat(0x61, bodyLength);
        body[0] = 0x07;
        byte[] stream = concat(hex("64 00 10 00 04"), body, hex("5a 00 00 00 05  49"));

        int buffers = 0;
        for (int i = 0; i < stream.length; i += 8191) {
            scan(s, slice(stream, i, Math.min(stream.length, i + 8191)));
            buffers++;
            if (i + 8191 < stream.length - 6) {
                assertThat(s.atBoundary()).isFalse();
            }
        }

        assertThat(buffers).isGreaterThan(100);
        assertThat(events).containsExactly(new Event('d', bodyLength + 4, 0x07), new Event('Z', 5, 'I'));
        assertThat(s.atBoundary()).isTrue();
    }

    @Test
    void scansFromTheReaderIndexAndMovesNoIndex() {
        ByteBuf b = buf(hex("ff ff ff"), RESULT);
        try {
            b.readerIndex(3);

            scanner.scan(b);

            assertThat(b.readerIndex()).isEqualTo(3);
            assertThat(b.writerIndex()).isEqualTo(3 + RESULT.length);
            assertThat(events).isEqualTo(RESULT_EVENTS);
        } finally {
            b.release();
        }
    }

    @Test
    void ignoresEmptyBuffers() {
        scan(new byte[0]);
        scan(hex("5a 00"));
        scan(new byte[0]);
        scan(hex("00 00 05"));
        scan(new byte[0]);
        scan(hex("49"));

        assertThat(events).containsExactly(new Event('Z', 5, 'I'));
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 3, -1, Integer.MIN_VALUE})
    void refusesLengthBelow4(int length) {
        byte[] header = concat(hex("44"), int32(length), hex("00"));

        assertThatThrownBy(() -> scan(header)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
            assertThat(e.getMessage()).isEqualTo("invalid message length");
        });
        assertThat(events).isEmpty();
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 3, -1})
    void refusesLengthBelow4WhenTheHeaderStraddlesBuffers(int length) {
        byte[] header = concat(hex("44"), int32(length));
        scan(slice(header, 0, 2));

        assertThatThrownBy(() -> scan(slice(header, 2, 5))).isInstanceOf(ProtocolException.class)
                .hasMessage("invalid message length");
        assertThat(events).isEmpty();
    }

    @Test
    void refusesOversizeLength() {
        assertThatThrownBy(() -> scan(hex("44 40 00 00 00  00 00")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
                    assertThat(e.getMessage()).isEqualTo("message of 1073741824 bytes exceeds the limit of 65536 bytes");
                });
        assertThat(events).isEmpty();
    }

    @Test
    void refusesOversizeLengthWhenTheHeaderStraddlesBuffers() {
        scan(hex("44 00"));

        assertThatThrownBy(() -> scan(hex("01 00 01"))).isInstanceOf(ProtocolException.class)
                .hasMessage("message of 65537 bytes exceeds the limit of 65536 bytes");
        assertThat(events).isEmpty();
    }

    @Test
    void refusesOversizeLengthOfAHeaderEndingTheBuffer() {
        assertThatThrownBy(() -> scan(hex("44 7f ff ff ff"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void acceptsExactlyMaximumLength() {
        scan(hex("44 00 01 00 00  2a"));

        assertThat(events).containsExactly(new Event('D', MAX, 0x2a));
        assertThat(scanner.atBoundary()).isFalse();
    }

    private void scan(byte[] bytes) {
        scan(scanner, bytes);
    }

    private static void scan(MessageScanner s, byte[] bytes) {
        ByteBuf b = buf(bytes);
        try {
            s.scan(b);
        } finally {
            b.release();
        }
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
