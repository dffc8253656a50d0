package dev.meridian.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.ProtocolException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds one fuzz input, piece by piece, to a decoder in an {@link EmbeddedChannel}, and checks
 * what every decoder here owes whatever the input: the only exception is {@link
 * ProtocolException}, at most once, with nothing decoded after it; closing the channel throws
 * nothing; and once the outputs are released, every buffer of the run is released too.
 * Anything else escapes to the fuzzer, which reports it with the input.
 */
final class DecoderRun implements AutoCloseable {
    private final RecordingAllocator alloc = new RecordingAllocator();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Object> outputs = new ArrayList<>();
    private ProtocolException failure;

    private DecoderRun(ChannelHandler decoder) {
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(decoder);
    }

    static DecoderRun feed(ChannelHandler decoder, List<byte[]> pieces) {
        DecoderRun run = new DecoderRun(decoder);
        try {
            pieces.forEach(run::write);
            boolean failedBefore = run.failure != null;
            run.channel.finish();
            run.collect(!failedBefore);
        } catch (RuntimeException | Error e) {
            try {
                run.close();
            } catch (RuntimeException | Error again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return run;
    }

    /** What was decoded, in order; owned by this run, released by {@link #close}. */
    List<Object> outputs() {
        return outputs;
    }

    /** The violation reported, or null. */
    ProtocolException failure() {
        return failure;
    }

    private void write(byte[] piece) {
        boolean failedBefore = failure != null;
        try {
            channel.writeInbound(alloc.copyOf(piece));
        } catch (ProtocolException e) {
            assertThat(failure).as("a second violation, after the first").isNull();
            failure = e;
        }
        collect(!failedBefore);
    }

    /** A piece that fails may still emit what it decoded before the failure; later ones nothing. */
    private void collect(boolean mayHaveOutput) {
        int before = outputs.size();
        outputs.addAll(Wire.drainInbound(channel));
        if (!mayHaveOutput) {
            assertThat(outputs.subList(before, outputs.size())).as("output after a violation").isEmpty();
        }
    }

    @Override
    public void close() {
        outputs.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
