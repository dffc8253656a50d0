package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.protocol.codec.ChunkedInput;
import dev.meridian.protocol.codec.RecordingAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.util.Arrays;

/**
 * Jazzer target: the PROXY protocol header (v1 text or v2 binary) a load balancer puts before a
 * client's bytes, read by Netty's HAProxyMessageDecoder followed by a handler that, like the
 * negotiate phase with {@code proxy_protocol: required}, closes the connection on any decoder
 * exception. Input: {@link ChunkedInput}.
 *
 * <p>Whatever the bytes: either one HAProxyMessage whose fields are those in the header, then
 * exactly the bytes after the header; or a DecoderException and a closed channel with not one
 * client byte passed on; or, for an incomplete header, nothing yet while the header is still
 * within Netty's size limits (so a connection cannot make the proxy buffer without bound; the
 * startup timeout ends the wait). Nothing leaks.
 *
 * <p>Found while writing this, both for the negotiate handler to mind: (1) a v2 header whose TLV
 * runs past the end of the header makes Netty throw DecoderException(IndexOutOfBoundsException),
 * not HAProxyProtocolException, and then Netty does not close the channel itself: the handler
 * must close on any exception. (2) After a failure, when the channel closes, Netty decodes the
 * leftover bytes once more and may deliver an HAProxyMessage then ("\0PROXY UNKNOWN\r\n" then
 * "PROXY UNKNOWN\r\n"): the handler must release it and do nothing else.
 */
class HaProxyFuzzTest {
    /** Netty's limits: a v1 line of 108 bytes with its CRLF, a v2 header of 16 + 65535 bytes. */
    private static final int V1_MAX = 108;
    private static final int V2_MAX = 16 + 65535;
    private static final byte[] V2_SIGNATURE = ByteBufUtil.decodeHexDump("0d0a0d0a000d0a515549540a");

    @FuzzTest
    void proxyHeader(byte[] data) {
        ChunkedInput input = ChunkedInput.of(data);
        RecordingAllocator alloc = new RecordingAllocator();
        HeaderRecorder recorder = new HeaderRecorder();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new HAProxyMessageDecoder(), recorder);
        try {
            for (byte[] piece : input.pieces()) {
                if (!channel.isOpen()) {
                    break;
                }
                channel.writeInbound(alloc.copyOf(piece));
            }
            check(input.stream(), recorder, channel);
        } finally {
            channel.finishAndReleaseAll();
            recorder.release();
        }
        alloc.assertAllReleased();
    }

    private static void check(byte[] stream, HeaderRecorder recorder, EmbeddedChannel channel) {
        assertThat(recorder.unexpected()).as("client bytes passed on without a good header before them").isZero();
        if (recorder.failure() != null) {
            assertThat(recorder.failure()).isInstanceOf(DecoderException.class);
            assertThat(recorder.header()).as("a header, then %s", recorder.failure()).isNull();
            assertThat(recorder.passedOn()).as("client bytes passed on after a bad header").isEmpty();
            assertThat(channel.isOpen()).isFalse();
        } else if (recorder.header() != null) {
            HAProxyMessage header = recorder.header();
            int length = headerLength(stream, header.protocolVersion());
            assertThat(recorder.passedOn()).isEqualTo(Arrays.copyOfRange(stream, length, stream.length));
            assertThat(detect(stream)).isEqualTo(header.protocolVersion());
            HeaderFields.assertMatch(header, Arrays.copyOf(stream, length));
        } else {
            assertThat(recorder.passedOn()).isEmpty();
            assertThat(incomplete(stream)).as("no header and no failure for a complete or oversized header").isTrue();
        }
    }

    /** A header Netty is right to wait for: too short to tell, or shorter than it says it is. */
    private static boolean incomplete(byte[] s) {
        if (s.length < 13) {
            return true;
        }
        if (startsWith(s, V2_SIGNATURE)) {
            return s.length < 16 || s.length < 16 + ((s[14] & 0xFF) << 8 | s[15] & 0xFF) && s.length <= V2_MAX;
        }
        return indexOfCrLf(s) < 0 && s.length <= V1_MAX;
    }

    private static int headerLength(byte[] s, HAProxyProtocolVersion version) {
        return version == HAProxyProtocolVersion.V1 ? indexOfCrLf(s) + 2 : 16 + ((s[14] & 0xFF) << 8 | s[15] & 0xFF);
    }

    private static HAProxyProtocolVersion detect(byte[] s) {
        var result = HAProxyMessageDecoder.detectProtocol(Unpooled.wrappedBuffer(s));
        assertThat(result.state()).isEqualTo(ProtocolDetectionState.DETECTED);
        return result.detectedProtocol();
    }

    static int indexOfCrLf(byte[] s) {
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i] == '\r' && s[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] s, byte[] prefix) {
        return s.length >= prefix.length && Arrays.equals(s, 0, prefix.length, prefix, 0, prefix.length);
    }
}
