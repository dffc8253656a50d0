package dev.meridian.protocol.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer target: what a client sends after a valid StartupMessage, i.e. FrontendDecoder in its
 * message state, where every message must come out as a Frame over exactly its input bytes.
 * Input: {@link ChunkedInput}; the startup packet is prepended as its own read.
 */
class FrontendMessageFuzzTest {
    private static final int MAX_MESSAGE_BYTES = 8192;
    private static final byte[] STARTUP = Wire.concat(Wire.hex("00 00 00 14  00 03 00 00"), Wire.ascii("user\0alice\0\0"));

    @FuzzTest
    void messagePhase(byte[] data) {
        ChunkedInput input = ChunkedInput.of(data);
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(STARTUP);
        pieces.addAll(input.pieces());
        try (DecoderRun run = DecoderRun.feed(new FrontendDecoder(MAX_MESSAGE_BYTES), pieces)) {
            FrontendStream.check(run, Wire.concat(STARTUP, input.stream()), MAX_MESSAGE_BYTES);
        }
    }
}
