package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.CanonicalForm.int32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.BackendMessage;
import dev.meridian.protocol.message.Frame;
import java.util.Arrays;

/**
 * Checks a BackendDecoder's outputs against the stream it was fed: walking the stream, a Frame's
 * content is exactly the next message's bytes; a control record re-encodes to them when they are
 * canonical, and otherwise decodes again to an equal record; what is left over, unless the
 * decoder failed, is an incomplete message it is right to wait for.
 */
final class BackendStream {
    private final byte[] stream;
    private final int maxMessageBytes;
    private int at;

    private BackendStream(byte[] stream, int maxMessageBytes) {
        this.stream = stream;
        this.maxMessageBytes = maxMessageBytes;
    }

    static void check(DecoderRun run, byte[] stream, int maxMessageBytes) {
        BackendStream walk = new BackendStream(stream, maxMessageBytes);
        run.outputs().forEach(walk::next);
        if (run.failure() != null) {
            assertThat(run.failure().sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
            assertThat(run.failure().getMessage()).isNotBlank();
        } else {
            walk.assertIncompleteRest();
        }
    }

    private void next(Object output) {
        int length = int32(stream, at + 1);
        assertThat(length).as("message length at offset %d", at).isBetween(4, maxMessageBytes);
        byte[] wire = take(length + 1);
        if (output instanceof Frame frame) {
            assertThat(Wire.bytes(frame.content())).isEqualTo(wire);
        } else {
            controlMessage((BackendMessage) output, wire);
        }
    }

    private void controlMessage(BackendMessage message, byte[] wire) {
        byte[] encoded = Reencode.backendMessage(message);
        assertThat(encoded[0]).as("type of re-encoded %s", message).isEqualTo(wire[0]);
        if (CanonicalForm.backendBody(wire[0], Arrays.copyOfRange(wire, 5, wire.length))) {
            assertThat(encoded).as("re-encoded %s", message).isEqualTo(wire);
        } else {
            assertThat(Reencode.decodeOne(new BackendDecoder(Integer.MAX_VALUE), encoded)).isEqualTo(message);
        }
    }

    private byte[] take(int length) {
        assertThat(length).as("output length at offset %d", at).isBetween(5, stream.length - at);
        byte[] slice = Arrays.copyOfRange(stream, at, at + length);
        at += length;
        return slice;
    }

    private void assertIncompleteRest() {
        int left = stream.length - at;
        int length = int32(stream, at + 1);
        assertThat(left < 5 || length >= 4 && length <= maxMessageBytes && left < length + 1)
                .as("%d bytes left undecoded, message length %d", left, length).isTrue();
    }
}
