package dev.meridian.protocol.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target: what a client may send first. Input: {@link ChunkedInput} (two bytes choosing
 * how the stream is split into reads, then the stream), fed to a FrontendDecoder in its startup
 * state. Under plain {@code mvn test} only the seeds in {@code FrontendStartupFuzzTestInputs} run;
 * {@code bench/fuzz.sh} fuzzes.
 */
class FrontendStartupFuzzTest {
    private static final int MAX_MESSAGE_BYTES = 8192;

    @FuzzTest
    void startupPhase(byte[] data) {
        ChunkedInput input = ChunkedInput.of(data);
        try (DecoderRun run = DecoderRun.feed(new FrontendDecoder(MAX_MESSAGE_BYTES), input.pieces())) {
            FrontendStream.check(run, input.stream(), MAX_MESSAGE_BYTES);
        }
    }
}
