package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.bytes;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.drainInbound;
import static dev.meridian.protocol.codec.Wire.hex;
import static dev.meridian.protocol.codec.Wire.releaseAll;
import static dev.meridian.protocol.codec.Wire.repeat;
import static dev.meridian.protocol.codec.Wire.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** FrontendDecoder after the StartupMessage: regular messages become retained-slice Frames. */
@ExtendWith(LeakCheck.class)
class FrontendDecoderMessageTest {
    private static final int MAX = 64 * 1024;

    /** StartupMessage 3.0: user=alice, database=shop, application_name=psql (56 bytes). */
    private static final byte[] STARTUP = concat(
            hex("00 00 00 38  00 03 00 00"),
            ascii("user\0alice\0database\0shop\0application_name\0psql\0\0"));
    /** Query "select 1". */
    private static final byte[] QUERY = concat(hex("51 00 00 00 0d"), ascii("select 1\0"));
    /** Sync: empty body. */
    private static final byte[] SYNC = hex("53 00 00 00 04");
    /** Terminate: empty body. */
    private static final byte[] TERMINATE = hex("58 00 00 00 04");
    private static final byte[] THREE_FRAMES = concat(QUERY, SYNC, TERMINATE);

    private final EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder(MAX));

    @AfterEach
    void closeChannel() {
        releaseAll(drainInbound(ch));
        ch.finishAndReleaseAll();
    }

    // ---- Regular messages --------------------------------------------------------------------

    @Test
    void decodesStartupAndThreeFramesFromOneBuffer() {
        assertThat(ch.writeInbound(buf(STARTUP, THREE_FRAMES))).isTrue();

        List<Object> out = drainInbound(ch);
        try {
            assertThat(out).hasSize(4);
            assertThat(out.get(0)).isInstanceOf(StartupMessage.class);
            assertFrame(out.get(1), 'Q', QUERY);
            assertFrame(out.get(2), 'S', SYNC);
            assertFrame(out.get(3), 'X', TERMINATE);
        } finally {
            releaseAll(out);
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void frameContentIsTheWholeMessageAndBodyFollowsTheHeader() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();
        ch.writeInbound(buf(QUERY));

        Frame f = ch.readInbound();
        try {
            assertThat(f.type()).isEqualTo((byte) 'Q');
            assertThat(bytes(f.content())).isEqualTo(QUERY);
            assertThat(bytes(f.body())).isEqualTo(ascii("select 1\0"));
            assertThat(f.toString()).isEqualTo("Frame['Q', 14 bytes]");
        } finally {
            f.release();
        }
    }

    @Test
    void emptyBodyFrameHasEmptyBody() {
        ch.writeInbound(buf(STARTUP, SYNC));
        ch.readInbound();

        Frame f = ch.readInbound();
        try {
            assertThat(bytes(f.content())).isEqualTo(SYNC);
            assertThat(f.body().isReadable()).isFalse();
        } finally {
            f.release();
        }
    }

    @Test
    void decodesStartupAndFramesSplitIntoTwoBuffersAtEveryOffset() {
        byte[] all = concat(STARTUP, THREE_FRAMES);
        for (int split = 0; split <= all.length; split++) {
            EmbeddedChannel c = new EmbeddedChannel(new FrontendDecoder(MAX));
            c.writeInbound(buf(slice(all, 0, split)));
            c.writeInbound(buf(slice(all, split, all.length)));

            List<Object> out = drainInbound(c);
            try {
                assertThat(out).as("split at %d", split).hasSize(4);
                assertThat(out.get(0)).isInstanceOf(StartupMessage.class);
                assertFrame(out.get(1), 'Q', QUERY);
                assertFrame(out.get(2), 'S', SYNC);
                assertFrame(out.get(3), 'X', TERMINATE);
            } finally {
                releaseAll(out);
            }
            assertThat(c.finish()).isFalse();
        }
    }

    @Test
    void decodesFramesSplitIntoThreeBuffersAtEveryPairOfOffsets() {
        for (int a = 0; a <= THREE_FRAMES.length; a++) {
            for (int b = a; b <= THREE_FRAMES.length; b++) {
                EmbeddedChannel c = new EmbeddedChannel(new FrontendDecoder(MAX));
                c.writeInbound(buf(STARTUP));
                c.writeInbound(buf(slice(THREE_FRAMES, 0, a)));
                c.writeInbound(buf(slice(THREE_FRAMES, a, b)));
                c.writeInbound(buf(slice(THREE_FRAMES, b, THREE_FRAMES.length)));

                List<Object> out = drainInbound(c);
                try {
                    assertThat(out).as("split at %d/%d", a, b).hasSize(4);
                    assertFrame(out.get(1), 'Q', QUERY);
                    assertFrame(out.get(2), 'S', SYNC);
                    assertFrame(out.get(3), 'X', TERMINATE);
                } finally {
                    releaseAll(out);
                }
                assertThat(c.finish()).isFalse();
            }
        }
    }

    @Test
    void decodesFramesFedOneByteAtATime() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();

        for (byte b : THREE_FRAMES) {
            ch.writeInbound(buf(new byte[] {b}));
        }

        List<Object> out = drainInbound(ch);
        try {
            assertThat(out).hasSize(3);
            assertFrame(out.get(0), 'Q', QUERY);
            assertFrame(out.get(1), 'S', SYNC);
            assertFrame(out.get(2), 'X', TERMINATE);
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void frameOutlivesLaterInput() {
        // The frame is a retained slice of the cumulation: later reads must not overwrite it.
        ch.writeInbound(buf(STARTUP, QUERY, slice(SYNC, 0, 2)));
        ch.readInbound();
        Frame q = ch.readInbound();
        try {
            ch.writeInbound(buf(slice(SYNC, 2, SYNC.length), TERMINATE));
            releaseAll(drainInbound(ch));

            assertThat(bytes(q.content())).isEqualTo(QUERY);
        } finally {
            q.release();
        }
    }

    @Test
    void decodesFrameOfExactlyMaximumLength() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();

        ch.writeInbound(buf(hex("64 00 01 00 00"), repeat(7, MAX - 4)));

        Frame f = ch.readInbound();
        try {
            assertThat(f.type()).isEqualTo((byte) 'd');
            assertThat(f.content().readableBytes()).isEqualTo(MAX + 1);
        } finally {
            f.release();
        }
    }

    @Test
    void refusesRegularMessageLength3() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();

        assertViolation(buf(hex("51 00 00 00 03")), SqlState.PROTOCOL_VIOLATION, "invalid message length");
    }

    @Test
    void refusesNegativeRegularMessageLength() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();

        assertViolation(buf(hex("51 80 00 00 00")), SqlState.PROTOCOL_VIOLATION, "invalid message length");
    }

    @Test
    void refusesOversizeRegularMessageWithoutWaitingForItsBody() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();

        // Claims 1 GiB; only the 5-byte header is sent.
        assertViolation(buf(hex("51 40 00 00 00")), SqlState.PROTOCOL_VIOLATION,
                "message of 1073741824 bytes exceeds the limit of 65536 bytes");
    }

    @Test
    void refusesRegularMessageOneByteOverTheLimit() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();

        assertViolation(buf(hex("51 00 01 00 01")), SqlState.PROTOCOL_VIOLATION,
                "message of 65537 bytes exceeds the limit of 65536 bytes");
    }

    @Test
    void emitsFramesDecodedBeforeAViolationInTheSameBuffer() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();

        assertThatThrownBy(() -> ch.writeInbound(buf(QUERY, hex("51 00 00 00 02"))))
                .isInstanceOf(ProtocolException.class);

        List<Object> out = drainInbound(ch);
        try {
            assertThat(out).hasSize(1);
            assertFrame(out.get(0), 'Q', QUERY);
        } finally {
            releaseAll(out);
        }
    }

    // ---- After an error ----------------------------------------------------------------------

    @Test
    void dropsInputAfterAMessageViolationWithoutASecondException() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();
        assertViolation(buf(hex("51 40 00 00 00")), SqlState.PROTOCOL_VIOLATION, "message of 1073741824 bytes");

        assertThat(ch.writeInbound(buf(QUERY))).isFalse();
        assertThat(ch.writeInbound(buf(hex("51 00 00 00 00")))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void assertViolation(ByteBuf in, String sqlState, String messagePrefix) {
        assertThatThrownBy(() -> ch.writeInbound(in))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(sqlState);
                    assertThat(e.getMessage()).startsWith(messagePrefix);
                });
        assertThat(ch.<Object>readInbound()).as("nothing emitted").isNull();
    }

    private static void assertFrame(Object o, char type, byte[] whole) {
        assertThat(o).isInstanceOf(Frame.class);
        Frame f = (Frame) o;
        assertThat(f.type()).isEqualTo((byte) type);
        assertThat(bytes(f.content())).isEqualTo(whole);
        assertThat(bytes(f.body())).isEqualTo(slice(whole, 5, whole.length));
    }
}
