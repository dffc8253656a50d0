package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.bytes;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.drainInbound;
import static dev.meridian.protocol.codec.Wire.hex;
import static dev.meridian.protocol.codec.Wire.releaseAll;
import static dev.meridian.protocol.codec.Wire.repeat;
import static dev.meridian.protocol.codec.Wire.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.protocol.message.GssEncRequest;
import dev.meridian.protocol.message.SslRequest;
import dev.meridian.protocol.message.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FrontendDecoder in its first state: StartupMessage, SSLRequest, GSSENCRequest, CancelRequest. */
@ExtendWith(LeakCheck.class)
class FrontendDecoderStartupTest {
    private static final int MAX = 64 * 1024;

    /** StartupMessage 3.0: user=alice, database=shop, application_name=psql (56 bytes). */
    private static final byte[] STARTUP = concat(
            hex("00 00 00 38  00 03 00 00"),
            ascii("user\0alice\0database\0shop\0application_name\0psql\0\0"));
    /** SSLRequest: Int32(8) Int32(80877103). */
    private static final byte[] SSL_REQUEST = hex("00 00 00 08  04 d2 16 2f");
    /** GSSENCRequest: Int32(8) Int32(80877104). */
    private static final byte[] GSSENC_REQUEST = hex("00 00 00 08  04 d2 16 30");
    /** Query "select 1". */
    private static final byte[] QUERY = concat(hex("51 00 00 00 0d"), ascii("select 1\0"));

    private final EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder(MAX));

    @AfterEach
    void closeChannel() {
        releaseAll(drainInbound(ch));
        ch.finishAndReleaseAll();
    }

    // ---- StartupMessage ----------------------------------------------------------------------

    @Test
    void decodesGoldenStartupMessage() {
        assertThat(ch.writeInbound(buf(STARTUP))).isTrue();

        StartupMessage m = ch.readInbound();
        assertThat(m.protocolVersion()).isEqualTo(StartupMessage.PROTOCOL_3_0);
        assertThat(m.majorVersion()).isEqualTo(3);
        assertThat(m.minorVersion()).isZero();
        assertThat(m.user()).isEqualTo("alice");
        assertThat(m.database()).isEqualTo("shop");
        assertThat(m.parameters()).containsExactly(
                Map.entry("user", "alice"), Map.entry("database", "shop"), Map.entry("application_name", "psql"));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void keepsParameterOrderAsSent() {
        byte[] packet = concat(hex("00 00 00 27  00 03 00 00"), ascii("zeta\0z\0user\0bob\0alpha\0a\0mid\0m\0\0"));

        ch.writeInbound(buf(packet));

        StartupMessage m = ch.readInbound();
        assertThat(m.parameters().keySet()).containsExactly("zeta", "user", "alpha", "mid");
    }

    @Test
    void databaseDefaultsToUserWhenAbsent() {
        ch.writeInbound(buf(hex("00 00 00 14  00 03 00 00"), ascii("user\0alice\0\0")));

        StartupMessage m = ch.readInbound();
        assertThat(m.database()).isEqualTo("alice");
    }

    @Test
    void databaseDefaultsToUserWhenEmpty() {
        ch.writeInbound(buf(hex("00 00 00 1e  00 03 00 00"), ascii("user\0alice\0database\0\0\0")));

        StartupMessage m = ch.readInbound();
        assertThat(m.parameters()).containsEntry("database", "");
        assertThat(m.database()).isEqualTo("alice");
    }

    @Test
    void userIsNullWhenNotSent() {
        ch.writeInbound(buf(hex("00 00 00 17  00 03 00 00"), ascii("database\0shop\0\0")));

        StartupMessage m = ch.readInbound();
        assertThat(m.user()).isNull();
        assertThat(m.database()).isEqualTo("shop");
    }

    @Test
    void startupMessageToStringPrintsParameterNamesButNoValues() {
        byte[] packet = concat(hex("00 00 00 30  00 03 00 00"), ascii("user\0alice\0options\0-c password=hunter2\0\0"));
        ch.writeInbound(buf(packet));

        StartupMessage m = ch.readInbound();
        assertThat(m.toString()).contains("3.0", "user", "options").doesNotContain("alice", "hunter2", "password=");
    }

    @Test
    void acceptsMinorVersion2OfProtocol3() {
        ch.writeInbound(buf(hex("00 00 00 14  00 03 00 02"), ascii("user\0alice\0\0")));

        StartupMessage m = ch.readInbound();
        assertThat(m.majorVersion()).isEqualTo(3);
        assertThat(m.minorVersion()).isEqualTo(2);
    }

    @Test
    void decodesStartupMessageFedOneByteAtATime() {
        for (int i = 0; i < STARTUP.length - 1; i++) {
            assertThat(ch.writeInbound(buf(slice(STARTUP, i, i + 1)))).as("after byte %d", i).isFalse();
        }
        assertThat(ch.writeInbound(buf(slice(STARTUP, STARTUP.length - 1, STARTUP.length)))).isTrue();

        StartupMessage m = ch.readInbound();
        assertThat(m.parameters()).containsExactly(
                Map.entry("user", "alice"), Map.entry("database", "shop"), Map.entry("application_name", "psql"));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesStartupOfExactlyMaximumLength() {
        // 8 header + "user\0a\0" (7) + "options\0" (8) + value + NUL + final NUL = 10000
        int valueLength = 10000 - 8 - 7 - 8 - 1 - 1;
        byte[] packet = concat(hex("00 00 27 10  00 03 00 00"), ascii("user\0a\0options\0"),
                repeat('x', valueLength), hex("00 00"));
        assertThat(packet).hasSize(FrontendDecoder.MAX_STARTUP_LENGTH);

        ch.writeInbound(buf(packet));

        StartupMessage m = ch.readInbound();
        assertThat(m.parameters().get("options")).hasSize(valueLength);
    }

    @Test
    void truncatedStartupYieldsNothingYet() {
        assertThat(ch.writeInbound(buf(slice(STARTUP, 0, STARTUP.length - 1)))).isFalse();

        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void truncatedStartupCompletesWhenTheRestArrives() {
        ch.writeInbound(buf(slice(STARTUP, 0, 20)));
        assertThat(ch.<Object>readInbound()).isNull();

        assertThat(ch.writeInbound(buf(slice(STARTUP, 20, STARTUP.length)))).isTrue();
        assertThat(ch.<Object>readInbound()).isInstanceOf(StartupMessage.class);
    }

    @Test
    void emptyInputYieldsNothing() {
        assertThat(ch.writeInbound(Unpooled.EMPTY_BUFFER)).isFalse();
        assertThat(ch.writeInbound(Unpooled.buffer(0))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 3, 7, 10001, Integer.MAX_VALUE, -1, -8, Integer.MIN_VALUE})
    void refusesStartupLengthOutside8To10000(int length) {
        ByteBuf in = Unpooled.buffer().writeInt(length).writeInt(StartupMessage.PROTOCOL_3_0);

        assertViolation(in, SqlState.PROTOCOL_VIOLATION, "invalid length of startup packet");
    }

    /** node-postgres's connect(); end(): Terminate first. PostgreSQL closes without a word. */
    @Test
    void terminateBeforeStartupIsAnImpossibleLengthClosedWithoutAnswer() {
        assertThatThrownBy(() -> ch.writeInbound(buf(hex("58 00 00 00 04"))))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("invalid length of startup packet");
                    assertThat(e.answered()).as("closed without an ErrorResponse").isFalse();
                });
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @Test
    void aWellFramedBadStartupPacketIsStillAnswered() {
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(8).writeInt(2 << 16)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.answered()).isTrue());
    }

    @Test
    void refusesOversizeStartupLengthBeforeTheBodyArrives() {
        // Only the length word: the decoder must not wait for 2 GiB to arrive.
        assertViolation(buf(hex("7f ff ff ff")), SqlState.PROTOCOL_VIOLATION, "invalid length of startup packet");
    }

    @Test
    void refusesStartupWithoutFinalTerminator() {
        assertViolation(buf(hex("00 00 00 13  00 03 00 00"), ascii("user\0alice\0")),
                SqlState.PROTOCOL_VIOLATION, "invalid startup packet layout: expected terminator as last byte");
    }

    @Test
    void refusesStartupWithNoParametersAtAll() {
        assertViolation(buf(hex("00 00 00 08  00 03 00 00")),
                SqlState.PROTOCOL_VIOLATION, "invalid startup packet layout: expected terminator as last byte");
    }

    @Test
    void refusesStartupWithNameButNoValue() {
        assertViolation(buf(hex("00 00 00 0d  00 03 00 00"), ascii("user\0")),
                SqlState.PROTOCOL_VIOLATION, "invalid startup packet layout");
    }

    @Test
    void refusesStartupWithBytesAfterTheTerminator() {
        assertViolation(buf(hex("00 00 00 16  00 03 00 00"), ascii("user\0alice\0\0xy")),
                SqlState.PROTOCOL_VIOLATION, "invalid startup packet layout");
    }

    @Test
    void refusesStartupWithUnterminatedName() {
        assertViolation(buf(hex("00 00 00 0c  00 03 00 00"), ascii("user")), SqlState.PROTOCOL_VIOLATION, "invalid");
    }

    @Test
    void refusesStartupWithUnterminatedValue() {
        assertViolation(buf(hex("00 00 00 11  00 03 00 00"), ascii("user\0alic")), SqlState.PROTOCOL_VIOLATION, "invalid");
    }

    @Test
    void refusesProtocol2() {
        assertViolation(buf(hex("00 00 00 14  00 02 00 00"), ascii("user\0alice\0\0")),
                SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol 2.0");
    }

    @Test
    void refusesProtocol4() {
        assertViolation(buf(hex("00 00 00 14  00 04 00 00"), ascii("user\0alice\0\0")),
                SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol 4.0");
    }

    @Test
    void refusesUnknownRequestCode() {
        // 1234.5681 is not a request PostgreSQL knows: it reads as protocol 1234.5681.
        assertViolation(buf(hex("00 00 00 08  04 d2 16 31")), SqlState.FEATURE_NOT_SUPPORTED,
                "unsupported frontend protocol 1234.5681");
    }

    // ---- SSLRequest / GSSENCRequest ----------------------------------------------------------

    @Test
    void decodesSslRequest() {
        assertThat(ch.writeInbound(buf(SSL_REQUEST))).isTrue();

        assertThat(ch.<Object>readInbound()).isSameAs(SslRequest.INSTANCE);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesGssEncRequest() {
        assertThat(ch.writeInbound(buf(GSSENC_REQUEST))).isTrue();

        assertThat(ch.<Object>readInbound()).isSameAs(GssEncRequest.INSTANCE);
        assertThat(ch.finish()).isFalse();
    }

    @ParameterizedTest(name = "trailing byte 0x{0}")
    @ValueSource(strings = {"00", "16", "51", "ff"})
    void refusesAnyByteAfterSslRequestInTheSameBuffer(String trailing) {
        assertViolation(buf(SSL_REQUEST, hex(trailing)),
                SqlState.PROTOCOL_VIOLATION, "received unencrypted data after SSL request");
    }

    @Test
    void refusesDataBehindSslRequestThatArrivedInPieces() {
        assertThat(ch.writeInbound(buf(slice(SSL_REQUEST, 0, 5)))).isFalse();

        assertViolation(buf(slice(SSL_REQUEST, 5, 8), hex("16 03 01")),
                SqlState.PROTOCOL_VIOLATION, "received unencrypted data after SSL request");
    }

    @Test
    void refusesStartupMessagePipelinedBehindSslRequest() {
        assertViolation(buf(SSL_REQUEST, STARTUP),
                SqlState.PROTOCOL_VIOLATION, "received unencrypted data after SSL request");
    }

    @ParameterizedTest(name = "trailing byte 0x{0}")
    @ValueSource(strings = {"00", "16", "51", "ff"})
    void refusesAnyByteAfterGssEncRequestInTheSameBuffer(String trailing) {
        assertViolation(buf(GSSENC_REQUEST, hex(trailing)),
                SqlState.PROTOCOL_VIOLATION, "received unencrypted data after GSSAPI encryption request");
    }

    @Test
    void refusesStartupMessagePipelinedBehindGssEncRequest() {
        assertViolation(buf(GSSENC_REQUEST, STARTUP),
                SqlState.PROTOCOL_VIOLATION, "received unencrypted data after GSSAPI encryption request");
    }

    @Test
    void refusesSslRequestWithWrongLength() {
        assertViolation(buf(hex("00 00 00 0c  04 d2 16 2f  00 00 00 00")),
                SqlState.PROTOCOL_VIOLATION, "invalid length of SSL request");
    }

    @Test
    void decodesSslRequestThenSeparatelyStartupMessage() {
        assertThat(ch.writeInbound(buf(SSL_REQUEST))).isTrue();
        assertThat(ch.<Object>readInbound()).isSameAs(SslRequest.INSTANCE);

        assertThat(ch.writeInbound(buf(STARTUP))).isTrue();
        StartupMessage m = ch.readInbound();
        assertThat(m.user()).isEqualTo("alice");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesSslRequestThenGssEncRequestThenStartupMessage() {
        // A client refused SSL ('N') may try GSSAPI encryption next, then start up in the clear.
        ch.writeInbound(buf(SSL_REQUEST));
        ch.writeInbound(buf(GSSENC_REQUEST));
        ch.writeInbound(buf(STARTUP));

        assertThat(ch.<Object>readInbound()).isSameAs(SslRequest.INSTANCE);
        assertThat(ch.<Object>readInbound()).isSameAs(GssEncRequest.INSTANCE);
        assertThat(ch.<Object>readInbound()).isInstanceOf(StartupMessage.class);
    }

    // ---- CancelRequest -----------------------------------------------------------------------

    @Test
    void decodesCancelRequestWith4ByteKey() {
        assertThat(ch.writeInbound(buf(hex("00 00 00 10  04 d2 16 2e  00 00 30 39  de ad be ef")))).isTrue();

        CancelRequest c = ch.readInbound();
        assertThat(c.processId()).isEqualTo(12345);
        assertThat(c.secretKey()).isEqualTo(hex("de ad be ef"));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesCancelRequestWith32ByteKeyOfProtocol32() {
        byte[] key = hex("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
                + "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");

        ch.writeInbound(buf(hex("00 00 00 2c  04 d2 16 2e  7f ff ff ff"), key));

        CancelRequest c = ch.readInbound();
        assertThat(c.processId()).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.secretKey()).isEqualTo(key);
    }

    @Test
    void decodesCancelRequestWith256ByteKey() {
        ch.writeInbound(buf(hex("00 00 01 0c  04 d2 16 2e  00 00 00 01"), repeat(0xab, 256)));

        CancelRequest c = ch.readInbound();
        assertThat(c.secretKey()).hasSize(CancelRequest.MAX_KEY_LENGTH);
    }

    @Test
    void refusesCancelRequestWithEmptyKey() {
        assertViolation(buf(hex("00 00 00 0c  04 d2 16 2e  00 00 30 39")),
                SqlState.PROTOCOL_VIOLATION, "invalid length of cancel request packet");
    }

    @Test
    void refusesCancelRequestWith3ByteKey() {
        assertViolation(buf(hex("00 00 00 0f  04 d2 16 2e  00 00 30 39  de ad be")),
                SqlState.PROTOCOL_VIOLATION, "invalid length of cancel request packet");
    }

    @Test
    void refusesCancelRequestWith257ByteKey() {
        assertViolation(buf(hex("00 00 01 0d  04 d2 16 2e  00 00 30 39"), repeat(1, 257)),
                SqlState.PROTOCOL_VIOLATION, "invalid length of cancel request packet");
    }

    @Test
    void refusesCancelRequestWith300ByteKey() {
        assertViolation(buf(hex("00 00 01 38  04 d2 16 2e  00 00 30 39"), repeat(1, 300)),
                SqlState.PROTOCOL_VIOLATION, "invalid length of cancel request packet");
    }

    @Test
    void ignoresBytesAfterCancelRequestInTheSameBuffer() {
        ch.writeInbound(buf(hex("00 00 00 10  04 d2 16 2e  00 00 30 39  de ad be ef"), STARTUP, QUERY));

        assertThat(ch.<Object>readInbound()).isInstanceOf(CancelRequest.class);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void ignoresBytesAfterCancelRequestInLaterBuffers() {
        ch.writeInbound(buf(hex("00 00 00 10  04 d2 16 2e  00 00 30 39  de ad be ef")));
        assertThat(ch.<Object>readInbound()).isInstanceOf(CancelRequest.class);

        assertThat(ch.writeInbound(buf(STARTUP))).isFalse();
        assertThat(ch.writeInbound(buf(hex("ff ff ff ff ff ff ff ff")))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    // ---- After an error ----------------------------------------------------------------------

    @Test
    void dropsInputAfterAStartupViolationWithoutASecondException() {
        assertViolation(buf(hex("00 00 00 03")), SqlState.PROTOCOL_VIOLATION, "invalid length of startup packet");

        assertThat(ch.writeInbound(buf(STARTUP))).isFalse();
        assertThat(ch.writeInbound(buf(hex("00 00 00 03")))).isFalse();
        assertThat(ch.writeInbound(buf(SSL_REQUEST))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void dropsBytesBehindAViolationInTheSameBuffer() {
        assertViolation(buf(hex("00 00 00 14  00 02 00 00"), ascii("user\0alice\0\0"), STARTUP),
                SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol");

        assertThat(ch.finish()).isFalse();
    }

    @Test
    void refusesAnEncryptionRequestOnlyOnceEvenWithMoreDataLater() {
        assertViolation(buf(SSL_REQUEST, STARTUP), SqlState.PROTOCOL_VIOLATION, "received unencrypted data after SSL request");

        assertThat(ch.writeInbound(buf(QUERY))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void assertViolation(ByteBuf in, String sqlState, String messagePrefix) {
        assertThatThrownBy(() -> ch.writeInbound(in))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(sqlState);
                    assertThat(e.getMessage()).startsWith(messagePrefix);
                });
        assertThat(ch.<Object>readInbound()).as("nothing emitted").isNull();
    }
}
