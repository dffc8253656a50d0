package dev.meridian.protocol.message;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.bytes;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.hex;
import static dev.meridian.protocol.codec.Wire.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.codec.FrontendDecoder;
import dev.meridian.protocol.codec.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Golden bytes for what the proxy sends to a backend before a session starts, and back through the decoder. */
@ExtendWith(LeakCheck.class)
class StartupPacketEncodingTest {
    private static final byte[] STARTUP = concat(
            hex("00 00 00 38  00 03 00 00"),
            ascii("user\0alice\0database\0shop\0application_name\0psql\0\0"));

    @Test
    void encodesSslRequest() {
        assertThat(encoded(SslRequest.INSTANCE::encode)).isEqualTo(hex("00 00 00 08  04 d2 16 2f"));
    }

    @Test
    void roundTripsSslRequest() {
        assertThat(roundTrip(SslRequest.INSTANCE::encode)).isSameAs(SslRequest.INSTANCE);
    }

    @Test
    void encodesGssEncRequest() {
        assertThat(encoded(GssEncRequest.INSTANCE::encode)).isEqualTo(hex("00 00 00 08  04 d2 16 30"));
    }

    @Test
    void roundTripsGssEncRequest() {
        assertThat(roundTrip(GssEncRequest.INSTANCE::encode)).isSameAs(GssEncRequest.INSTANCE);
    }

    @Test
    void encodesCancelRequestWith4ByteKey() {
        CancelRequest c = new CancelRequest(12345, hex("de ad be ef"));

        assertThat(encoded(c::encode)).isEqualTo(hex("00 00 00 10  04 d2 16 2e  00 00 30 39  de ad be ef"));
    }

    @Test
    void encodesCancelRequestWith32ByteKey() {
        CancelRequest c = new CancelRequest(-2, repeat(0x11, 32));

        assertThat(encoded(c::encode)).isEqualTo(concat(hex("00 00 00 2c  04 d2 16 2e  ff ff ff fe"), repeat(0x11, 32)));
    }

    @Test
    void roundTripsCancelRequestWith4ByteKey() {
        CancelRequest c = new CancelRequest(12345, hex("de ad be ef"));

        assertThat(roundTrip(c::encode)).isEqualTo(c);
    }

    @Test
    void roundTripsCancelRequestWith256ByteKey() {
        CancelRequest c = new CancelRequest(Integer.MIN_VALUE, repeat(0xfe, 256));

        assertThat(roundTrip(c::encode)).isEqualTo(c);
    }

    @Test
    void encodesStartupMessageWithParametersInOrder() {
        StartupMessage m = new StartupMessage(StartupMessage.PROTOCOL_3_0,
                ordered("user", "alice", "database", "shop", "application_name", "psql"));

        assertThat(encoded(m::encode)).isEqualTo(STARTUP);
    }

    @Test
    void encodesStartupMessageOfProtocol32() {
        StartupMessage m = new StartupMessage(3 << 16 | 2, ordered("user", "alice"));

        assertThat(encoded(m::encode)).isEqualTo(concat(hex("00 00 00 14  00 03 00 02"), ascii("user\0alice\0\0")));
    }

    @Test
    void encodesStartupMessageAfterOtherBytesInTheBuffer() {
        // The length is backfilled relative to where the packet starts, not to the buffer start.
        StartupMessage m = new StartupMessage(StartupMessage.PROTOCOL_3_0, ordered("user", "alice"));

        byte[] out = encoded(b -> {
            b.writeBytes(hex("ee ee ee"));
            m.encode(b);
        });

        assertThat(out).isEqualTo(concat(hex("ee ee ee  00 00 00 14  00 03 00 00"), ascii("user\0alice\0\0")));
    }

    @Test
    void roundTripsStartupMessageKeepingOrder() {
        StartupMessage m = new StartupMessage(StartupMessage.PROTOCOL_3_0,
                ordered("user", "alice", "database", "shop", "_pq_.x", "y", "options", "-c geqo=off"));

        StartupMessage decoded = (StartupMessage) roundTrip(m::encode);

        assertThat(decoded).isEqualTo(m);
        assertThat(decoded.parameters().keySet()).containsExactly("user", "database", "_pq_.x", "options");
    }

    @Test
    void roundTripsStartupMessageWithNonAsciiValues() {
        StartupMessage m = new StartupMessage(StartupMessage.PROTOCOL_3_0,
                ordered("user", "jürgen", "database", "データ", "application_name", ""));

        assertThat(roundTrip(m::encode)).isEqualTo(m);
    }

    // ---- helpers -----------------------------------------------------------------------------

    static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static byte[] encoded(Consumer<ByteBuf> encoder) {
        ByteBuf b = Unpooled.directBuffer();
        try {
            encoder.accept(b);
            return bytes(b);
        } finally {
            b.release();
        }
    }

    private static StartupPacket roundTrip(Consumer<ByteBuf> encoder) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder(1 << 16));
        assertThat(ch.writeInbound(buf(encoded(encoder)))).isTrue();
        StartupPacket p = ch.readInbound();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
        return p;
    }
}
