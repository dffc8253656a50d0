package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.CanonicalForm.int32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.protocol.message.StartupPacket;
import java.util.Arrays;

/**
 * Checks a FrontendDecoder's outputs against the stream it was fed: walking the stream, each
 * output must be exactly the next bytes (a Frame's content is the input slice; a startup packet
 * re-encodes to it when canonical), and whatever is left over, unless the decoder failed, must be
 * an incomplete packet it is right to wait for.
 */
final class FrontendStream {
    private final byte[] stream;
    private final int maxMessageBytes;
    private int at;
    private boolean inMessages;
    private boolean cancelled;

    private FrontendStream(byte[] stream, int maxMessageBytes) {
        this.stream = stream;
        this.maxMessageBytes = maxMessageBytes;
    }

    static void check(DecoderRun run, byte[] stream, int maxMessageBytes) {
        FrontendStream walk = new FrontendStream(stream, maxMessageBytes);
        run.outputs().forEach(walk::next);
        if (run.failure() != null) {
            assertThat(run.failure().sqlState()).isIn(SqlState.PROTOCOL_VIOLATION, SqlState.FEATURE_NOT_SUPPORTED);
            assertThat(run.failure().getMessage()).isNotBlank();
        } else if (!walk.cancelled) {
            walk.assertIncompleteRest();
        }
    }

    private void next(Object output) {
        assertThat(cancelled).as("output after a CancelRequest").isFalse();
        if (output instanceof Frame frame) {
            assertThat(inMessages).as("a Frame before the StartupMessage").isTrue();
            byte[] content = Wire.bytes(frame.content());
            assertThat(content).isEqualTo(take(content.length));
            assertThat(int32(content, 1)).isEqualTo(content.length - 1).isBetween(4, maxMessageBytes);
        } else {
            assertThat(inMessages).as("a startup packet after the StartupMessage").isFalse();
            startupPacket((StartupPacket) output);
        }
    }

    private void startupPacket(StartupPacket packet) {
        byte[] wire = take(int32(stream, at));
        byte[] encoded = Reencode.startupPacket(packet);
        boolean canonical = !(packet instanceof StartupMessage)
                || CanonicalForm.startupParameters(Arrays.copyOfRange(wire, 8, wire.length));
        if (canonical) {
            assertThat(encoded).as("re-encoded %s", packet).isEqualTo(wire);
        } else {
            assertThat(Reencode.decodeOne(new FrontendDecoder(maxMessageBytes), encoded)).isEqualTo(packet);
        }
        inMessages = packet instanceof StartupMessage;
        cancelled = packet instanceof CancelRequest;
    }

    private byte[] take(int length) {
        assertThat(length).as("output length at offset %d", at).isBetween(0, stream.length - at);
        byte[] slice = Arrays.copyOfRange(stream, at, at + length);
        at += length;
        return slice;
    }

    private void assertIncompleteRest() {
        int left = stream.length - at;
        if (inMessages) {
            int length = int32(stream, at + 1);
            assertThat(left < 5 || length >= 4 && length <= maxMessageBytes && left < length + 1)
                    .as("%d bytes left undecoded, message length %d", left, length).isTrue();
        } else {
            int length = int32(stream, at);
            assertThat(left < 4 || length >= 8 && length <= FrontendDecoder.MAX_STARTUP_LENGTH && left < length)
                    .as("%d bytes left undecoded, packet length %d", left, length).isTrue();
        }
    }
}
