package dev.meridian.protocol.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target: what a server (or something posing as one) sends to the proxy while it logs
 * in. Input: {@link ChunkedInput}, fed to a BackendDecoder; checked by {@link BackendStream}.
 */
class BackendDecoderFuzzTest {
    private static final int MAX_MESSAGE_BYTES = 8192;

    @FuzzTest
    void backendMessages(byte[] data) {
        ChunkedInput input = ChunkedInput.of(data);
        try (DecoderRun run = DecoderRun.feed(new BackendDecoder(MAX_MESSAGE_BYTES), input.pieces())) {
            BackendStream.check(run, input.stream(), MAX_MESSAGE_BYTES);
        }
    }
}
