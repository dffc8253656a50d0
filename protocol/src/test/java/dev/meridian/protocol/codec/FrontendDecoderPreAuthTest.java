package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.drainInbound;
import static dev.meridian.protocol.codec.Wire.hex;
import static dev.meridian.protocol.codec.Wire.releaseAll;
import static dev.meridian.protocol.codec.Wire.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Frame;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Before authentication a message is capped as PostgreSQL caps password and SASL messages
 * (PG_MAX_AUTH_TOKEN_LENGTH), however large {@code limits.max_message_bytes} is.
 */
@ExtendWith(LeakCheck.class)
class FrontendDecoderPreAuthTest {
    private static final int ONE_GB = 1 << 30;
    private static final byte[] STARTUP = concat(hex("00 00 00 14  00 03 00 00"), ascii("user\0alice\0\0"));

    private final FrontendDecoder decoder = new FrontendDecoder(ONE_GB);
    private final EmbeddedChannel ch = new EmbeddedChannel(decoder);

    @BeforeEach
    void startup() {
        ch.writeInbound(buf(STARTUP));
        ch.readInbound();
    }

    @AfterEach
    void closeChannel() {
        releaseAll(drainInbound(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void passwordMessageClaimingOneGigabyteIsRefusedFromItsHeader() {
        assertThatThrownBy(() -> ch.writeInbound(buf(hex("70 3b 9a ca 00"))))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
                    assertThat(e.getMessage()).isEqualTo(
                            "message of 1000000000 bytes exceeds the limit of 65539 bytes before authentication");
                });
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @Test
    void largestAuthTokenPasses() {
        ch.writeInbound(buf(hex("70 00 01 00 03"), repeat('a', 65535)));

        Frame f = ch.readInbound();
        try {
            assertThat(f.content().readableBytes()).isEqualTo(65540);
        } finally {
            f.release();
        }
    }

    @Test
    void oneByteMoreIsRefused() {
        assertThatThrownBy(() -> ch.writeInbound(buf(hex("70 00 01 00 04"))))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void afterAuthenticationTheConfiguredLimitApplies() {
        decoder.authenticated();

        ch.writeInbound(buf(hex("51 00 01 00 05"), repeat('a', 65536), hex("00")));

        Frame f = ch.readInbound();
        try {
            assertThat(f.content().readableBytes()).isEqualTo(65542);
        } finally {
            f.release();
        }
    }

    @Test
    void smallerConfiguredLimitStaysTheLimitBeforeAuthentication() {
        EmbeddedChannel small = new EmbeddedChannel(new FrontendDecoder(1000));
        small.writeInbound(buf(STARTUP));
        small.readInbound();

        assertThatThrownBy(() -> small.writeInbound(buf(hex("70 00 00 03 e9"))))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("message of 1001 bytes exceeds the limit of 1000 bytes"));
        small.finishAndReleaseAll();
    }
}
