package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.StartupPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random and half-structured input, with fixed seeds so a failure replays. Whatever arrives, a
 * decoder may only raise {@link ProtocolException}, at most once per connection, emit nothing
 * after it, and leak nothing ({@link LeakCheck}). Failures print the seed, iteration and input.
 */
@ExtendWith(LeakCheck.class)
class DecoderFuzzTest {
    private static final int MAX = 4096;
    private static final int ITERATIONS = 500;
    private static final byte[] STARTUP = concat(hex("00 00 00 14  00 03 00 00"), ascii("user\0alice\0\0"));
    private static final int[] REQUEST_CODES = {
        StartupPacket.SSL_REQUEST_CODE, StartupPacket.GSSENC_REQUEST_CODE, StartupPacket.CANCEL_REQUEST_CODE,
        3 << 16, 3 << 16 | 2, 2 << 16, 4 << 16, 1234 << 16 | 5681};
    private static final byte[] FRONTEND_TYPES = ascii("QPBEDSHCFdcfXp\0\u007f");
    private static final byte[] BACKEND_TYPES = ascii("RRRRKKSSZZEENNvvTDC1nI\0");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 0xC0FFEE, 20211109})
    void frontendDecoderInStartupStateRaisesOnlyProtocolExceptions(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = rnd.nextInt(4) == 0 ? randomBytes(rnd, 64) : startupLike(rnd);
            run(() -> new FrontendDecoder(MAX), new byte[0], input, rnd, "seed " + seed + " iteration " + i);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {2, 43, 0xBADC0DE, 20211110})
    void frontendDecoderInMessageStateRaisesOnlyProtocolExceptions(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = rnd.nextInt(4) == 0 ? randomBytes(rnd, 64) : messagesLike(rnd, FRONTEND_TYPES);
            run(() -> new FrontendDecoder(MAX), STARTUP, input, rnd, "seed " + seed + " iteration " + i);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 44, 0xFEED, 20211111})
    void backendDecoderRaisesOnlyProtocolExceptions(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = rnd.nextInt(4) == 0 ? randomBytes(rnd, 64) : messagesLike(rnd, BACKEND_TYPES);
            run(() -> new BackendDecoder(MAX), new byte[0], input, rnd, "seed " + seed + " iteration " + i);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 45, 0xACE, 20211112})
    void messageScannerRaisesOnlyProtocolExceptions(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = rnd.nextBoolean() ? randomBytes(rnd, 64) : messagesLike(rnd, BACKEND_TYPES);
            MessageScanner scanner = new MessageScanner(MAX, (t, l, f) -> {
                assertThat(l).isBetween(4, MAX);
                assertThat(f).isBetween(MessageScanner.NO_BODY, 255);
            });
            try {
                for (byte[] chunk : chunks(rnd, input)) {
                    ByteBuf b = buf(chunk);
                    try {
                        scanner.scan(b);
                    } finally {
                        b.release();
                    }
                }
            } catch (ProtocolException expected) {
                assertThat(expected.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
            } catch (Throwable t) {
                fail("seed " + seed + " iteration " + i + ": " + t + " for input " + ByteBufUtil.hexDump(input), t);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 46, 0xD0D0, 20211113})
    void messageScannerReportsEveryMessageOfAValidStreamHoweverSplit(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            int count = 1 + rnd.nextInt(6);
            for (int m = 0; m < count; m++) {
                byte type = BACKEND_TYPES[rnd.nextInt(BACKEND_TYPES.length)];
                byte[] body = randomBytes(rnd, rnd.nextInt(8) == 0 ? 600 : 12);
                stream.write(type);
                stream.writeBytes(int32(body.length + 4));
                stream.writeBytes(body);
                expected.add(type + "/" + (body.length + 4) + "/" + (body.length == 0 ? -1 : body[0] & 0xFF));
            }
            List<String> seen = new ArrayList<>();
            MessageScanner scanner = new MessageScanner(MAX, (t, l, f) -> seen.add(t + "/" + l + "/" + f));

            for (byte[] chunk : chunks(rnd, stream.toByteArray())) {
                ByteBuf b = buf(chunk);
                try {
                    scanner.scan(b);
                } finally {
                    b.release();
                }
            }

            assertThat(seen).as("seed %d iteration %d", seed, i).isEqualTo(expected);
            assertThat(scanner.atBoundary()).isTrue();
        }
    }

    // ---- driver ------------------------------------------------------------------------------

    /**
     * Writes the prefix (must decode cleanly), then the input in random chunks. At most one
     * ProtocolException, nothing emitted after it, every Frame well formed, nothing thrown on close.
     */
    private static void run(Supplier<ChannelHandler> decoder, byte[] prefix, byte[] input, Random rnd, String what) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder.get());
        String context = what + ", input " + ByteBufUtil.hexDump(input);
        try {
            if (prefix.length > 0) {
                assertThat(ch.writeInbound(buf(prefix))).isTrue();
                ReferenceCountUtil.release(ch.readInbound());
            }
            ProtocolException first = null;
            for (byte[] chunk : chunks(rnd, input)) {
                boolean failedEarlier = first != null;
                try {
                    ch.writeInbound(buf(chunk));
                } catch (ProtocolException e) {
                    if (first != null) {
                        fail(context + ": second exception " + e.getMessage() + " after " + first.getMessage());
                    }
                    first = e;
                    assertThat(e.sqlState()).as(context).isIn(SqlState.PROTOCOL_VIOLATION, SqlState.FEATURE_NOT_SUPPORTED);
                    assertThat(e.getMessage()).as(context).isNotBlank();
                } catch (Throwable t) {
                    fail(context + ": " + t, t);
                }
                if (failedEarlier) {
                    assertThat(ch.inboundMessages()).as(context + ": output after a violation").isEmpty();
                }
                for (Object o; (o = ch.readInbound()) != null; ) {
                    try {
                        checkOutput(o, context);
                    } finally {
                        ReferenceCountUtil.release(o);
                    }
                }
            }
            try {
                ch.finishAndReleaseAll();
            } catch (Throwable t) {
                fail(context + ": on close " + t, t);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static void checkOutput(Object o, String context) {
        if (o instanceof Frame f) {
            ByteBuf c = f.content();
            assertThat(c.readableBytes()).as(context).isGreaterThanOrEqualTo(5);
            assertThat(c.getInt(c.readerIndex() + 1)).as(context).isEqualTo(c.readableBytes() - 1);
            assertThat(f.body().readableBytes()).as(context).isEqualTo(c.readableBytes() - 5);
        } else {
            assertThat(o).as(context).isNotNull().isNotInstanceOf(ByteBuf.class);
            assertThat(o.toString()).as(context).isNotNull();
        }
    }

    // ---- generators --------------------------------------------------------------------------

    /** A length word, a request code or version, and a body of NULs, letters and junk. */
    private static byte[] startupLike(Random rnd) {
        int code = rnd.nextInt(5) == 0 ? rnd.nextInt() : REQUEST_CODES[rnd.nextInt(REQUEST_CODES.length)];
        byte[] body = rnd.nextBoolean() ? parameterList(rnd)
                : cStringSoup(rnd, code == StartupPacket.SSL_REQUEST_CODE && rnd.nextBoolean() ? 0 : 80);
        int length = switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextInt();
            case 1 -> rnd.nextInt(20);
            default -> 8 + body.length;
        };
        byte[] trailing = rnd.nextInt(3) == 0 ? randomBytes(rnd, 20) : new byte[0];
        return concat(int32(length), int32(code), body, trailing);
    }

    /** name\0value\0 pairs and the final \0, now and then with one byte dropped, changed or added. */
    private static byte[] parameterList(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pairs = rnd.nextInt(4);
        for (int p = 0; p < pairs; p++) {
            out.writeBytes(ascii(new String[] {"user", "database", "options", "_pq_.x", ""}[rnd.nextInt(5)] + "\0"));
            out.writeBytes(noise(rnd, rnd.nextInt(6)));
            out.write(0);
        }
        out.write(0);
        byte[] b = out.toByteArray();
        return switch (rnd.nextInt(6)) {
            case 0 -> Arrays.copyOf(b, b.length - 1);
            case 1 -> concat(b, noise(rnd, 1));
            case 2 -> {
                b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                yield b;
            }
            default -> b;
        };
    }

    /** One to five typed messages whose lengths are mostly right and bodies mostly plausible. */
    private static byte[] messagesLike(Random rnd, byte[] types) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + rnd.nextInt(5);
        for (int m = 0; m < count; m++) {
            byte type = types[rnd.nextInt(types.length)];
            byte[] body = switch (type) {
                case 'R' -> concat(int32(new int[] {0, 3, 5, 7, 10, 11, 12, rnd.nextInt()}[rnd.nextInt(8)]),
                        cStringSoup(rnd, 30));
                case 'K' -> noise(rnd, new int[] {0, 2, 4, 7, 8, 36, 260, 300}[rnd.nextInt(8)]);
                case 'Z' -> new byte[][] {ascii("I"), ascii("T"), ascii("E"), ascii("X"), new byte[0], ascii("II")}
                        [rnd.nextInt(6)];
                case 'v' -> concat(int32(rnd.nextInt(3)), int32(rnd.nextInt(5) - 1), cStringSoup(rnd, 30));
                default -> cStringSoup(rnd, 40);
            };
            int length = switch (rnd.nextInt(12)) {
                case 0 -> rnd.nextInt();
                case 1 -> rnd.nextInt(8);
                case 2 -> body.length + 4 + rnd.nextInt(3) - 1;
                default -> body.length + 4;
            };
            out.write(type);
            out.writeBytes(int32(length));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** Bytes biased towards what parsers branch on: NUL, letters, and 0xff. */
    private static byte[] cStringSoup(Random rnd, int maxLength) {
        byte[] b = new byte[maxLength == 0 ? 0 : rnd.nextInt(maxLength + 1)];
        for (int i = 0; i < b.length; i++) {
            int r = rnd.nextInt(10);
            b[i] = (byte) (r < 3 ? 0 : r < 8 ? 'a' + rnd.nextInt(26) : rnd.nextInt(256));
        }
        return b;
    }

    private static byte[] randomBytes(Random rnd, int maxLength) {
        return noise(rnd, rnd.nextInt(maxLength + 1));
    }

    private static byte[] noise(Random rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    /** The input cut into 1..4 pieces at random offsets (pieces may be empty). */
    private static List<byte[]> chunks(Random rnd, byte[] input) {
        int pieces = 1 + rnd.nextInt(4);
        int[] cuts = new int[pieces + 1];
        cuts[pieces] = input.length;
        for (int p = 1; p < pieces; p++) {
            cuts[p] = rnd.nextInt(input.length + 1);
        }
        Arrays.sort(cuts);
        List<byte[]> out = new ArrayList<>();
        for (int p = 0; p < pieces; p++) {
            out.add(Arrays.copyOfRange(input, cuts[p], cuts[p + 1]));
        }
        return out;
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
