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
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.NegotiateProtocolVersion;
import dev.meridian.protocol.message.NoticeResponse;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(LeakCheck.class)
class BackendDecoderTest {
    private static final int MAX = 64 * 1024;

    static final byte[] AUTH_OK = hex("52 00 00 00 08  00 00 00 00");
    static final byte[] AUTH_CLEARTEXT = hex("52 00 00 00 08  00 00 00 03");
    static final byte[] AUTH_MD5 = hex("52 00 00 00 0c  00 00 00 05  9a 1b 2c 3d");
    static final byte[] AUTH_SASL = concat(hex("52 00 00 00 2a  00 00 00 0a"),
            ascii("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0"));
    static final byte[] AUTH_SASL_CONTINUE = concat(hex("52 00 00 00 1f  00 00 00 0b"),
            ascii("r=abc,s=c2FsdA==,i=4096"));
    static final byte[] AUTH_SASL_FINAL = concat(hex("52 00 00 00 16  00 00 00 0c"), ascii("v=c2lnbmF0dXJl"));
    static final byte[] AUTH_GSS = hex("52 00 00 00 08  00 00 00 07");
    static final byte[] BACKEND_KEY_DATA = hex("4b 00 00 00 0c  00 00 30 39  de ad be ef");
    static final byte[] PARAMETER_STATUS = concat(hex("53 00 00 00 18"), ascii("server_version\u000016.4\0"));
    static final byte[] READY_IDLE = hex("5a 00 00 00 05  49");
    static final byte[] ERROR_RESPONSE = concat(hex("45 00 00 00 85"), ascii(
            "SERROR\0VERROR\0C22012\0Mdivision by zero\0Ddetail\0Hhint\0P8\0p2\0qselect 1/0\0Wcontext\0"
            + "spublic\0tt\0ccol\0dint4\0ncon\0Fint.c\0L821\0Rint4div\0\0"));
    static final byte[] NOTICE_RESPONSE = concat(hex("4e 00 00 00 23"), ascii("SNOTICE\0VNOTICE\0C00000\0Mhello\0\0"));
    static final byte[] NEGOTIATE_PROTOCOL_VERSION = concat(hex("76 00 00 00 1a  00 00 00 00  00 00 00 02"),
            ascii("_pq_.a\0_pq_.b\0"));
    /** RowDescription: one column "n", int4 (OID 23), size 4, typmod -1, text format. */
    static final byte[] ROW_DESCRIPTION = concat(hex("54 00 00 00 1a  00 01"), ascii("n\0"),
            hex("00 00 00 00  00 00  00 00 00 17  00 04  ff ff ff ff  00 00"));
    /** DataRow: one column, "1". */
    static final byte[] DATA_ROW = hex("44 00 00 00 0b  00 01  00 00 00 01  31");
    static final byte[] COMMAND_COMPLETE = concat(hex("43 00 00 00 0d"), ascii("SELECT 1\0"));

    private final EmbeddedChannel ch = new EmbeddedChannel(new BackendDecoder(MAX));

    @AfterEach
    void closeChannel() {
        releaseAll(drainInbound(ch));
        ch.finishAndReleaseAll();
    }

    // ---- Authentication ----------------------------------------------------------------------

    @Test
    void decodesAuthenticationOk() {
        assertThat(decodeOne(AUTH_OK)).isSameAs(Authentication.Ok.INSTANCE);
    }

    @Test
    void decodesAuthenticationCleartextPassword() {
        assertThat(decodeOne(AUTH_CLEARTEXT)).isSameAs(Authentication.CleartextPassword.INSTANCE);
    }

    @Test
    void decodesAuthenticationMd5PasswordWithSalt() {
        Object m = decodeOne(AUTH_MD5);

        assertThat(m).isInstanceOf(Authentication.Md5Password.class);
        assertThat(((Authentication.Md5Password) m).salt()).isEqualTo(hex("9a 1b 2c 3d"));
    }

    @Test
    void decodesAuthenticationSaslWithTwoMechanismsInServerOrder() {
        Object m = decodeOne(AUTH_SASL);

        assertThat(m).isEqualTo(new Authentication.Sasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")));
    }

    @Test
    void decodesAuthenticationSaslContinueWithData() {
        Object m = decodeOne(AUTH_SASL_CONTINUE);

        assertThat(m).isInstanceOf(Authentication.SaslContinue.class);
        assertThat(((Authentication.SaslContinue) m).data()).isEqualTo(ascii("r=abc,s=c2FsdA==,i=4096"));
    }

    @Test
    void decodesAuthenticationSaslFinalWithData() {
        Object m = decodeOne(AUTH_SASL_FINAL);

        assertThat(m).isInstanceOf(Authentication.SaslFinal.class);
        assertThat(((Authentication.SaslFinal) m).data()).isEqualTo(ascii("v=c2lnbmF0dXJl"));
    }

    @Test
    void decodesUnknownAuthenticationCodeAsUnsupported() {
        assertThat(decodeOne(AUTH_GSS)).isEqualTo(new Authentication.Unsupported(7));
    }

    @Test
    void decodesAuthenticationGssContinueWithDataAsUnsupported() {
        assertThat(decodeOne(hex("52 00 00 00 0b  00 00 00 08  aa bb cc")))
                .isEqualTo(new Authentication.Unsupported(8));
    }

    // ---- Other control messages --------------------------------------------------------------

    @Test
    void decodesBackendKeyDataWith4ByteKey() {
        assertThat(decodeOne(BACKEND_KEY_DATA)).isEqualTo(new BackendKeyData(12345, hex("de ad be ef")));
    }

    @Test
    void decodesBackendKeyDataWith32ByteKeyOfProtocol32() {
        byte[] key = hex("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
                + "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");

        assertThat(decodeOne(concat(hex("4b 00 00 00 28  00 00 30 39"), key)))
                .isEqualTo(new BackendKeyData(12345, key));
    }

    @Test
    void decodesBackendKeyDataWith256ByteKey() {
        Object m = decodeOne(concat(hex("4b 00 00 01 08  00 00 30 39"), repeat(0x5a, 256)));

        assertThat(((BackendKeyData) m).secretKey()).hasSize(256);
    }

    @Test
    void decodesParameterStatus() {
        assertThat(decodeOne(PARAMETER_STATUS)).isEqualTo(new ParameterStatus("server_version", "16.4"));
    }

    @Test
    void decodesParameterStatusWithEmptyValue() {
        assertThat(decodeOne(concat(hex("53 00 00 00 11"), ascii("search_path\0\0"))))
                .isEqualTo(new ParameterStatus("search_path", ""));
    }

    @Test
    void decodesReadyForQueryIdle() {
        assertThat(decodeOne(READY_IDLE)).isSameAs(ReadyForQuery.IDLE);
    }

    @Test
    void decodesReadyForQueryInTransaction() {
        assertThat(decodeOne(hex("5a 00 00 00 05  54"))).isSameAs(ReadyForQuery.IN_TRANSACTION);
    }

    @Test
    void decodesReadyForQueryInFailedTransaction() {
        assertThat(decodeOne(hex("5a 00 00 00 05  45"))).isSameAs(ReadyForQuery.FAILED_TRANSACTION);
    }

    @Test
    void decodesErrorResponseWithAllStandardFieldsInOrder() {
        ErrorResponse e = (ErrorResponse) decodeOne(ERROR_RESPONSE);

        assertThat(e.fields()).containsExactly(
                Map.entry('S', "ERROR"), Map.entry('V', "ERROR"), Map.entry('C', "22012"),
                Map.entry('M', "division by zero"), Map.entry('D', "detail"), Map.entry('H', "hint"),
                Map.entry('P', "8"), Map.entry('p', "2"), Map.entry('q', "select 1/0"),
                Map.entry('W', "context"), Map.entry('s', "public"), Map.entry('t', "t"),
                Map.entry('c', "col"), Map.entry('d', "int4"), Map.entry('n', "con"),
                Map.entry('F', "int.c"), Map.entry('L', "821"), Map.entry('R', "int4div"));
        assertThat(e.severity()).isEqualTo("ERROR");
        assertThat(e.sqlState()).isEqualTo("22012");
        assertThat(e.message()).isEqualTo("division by zero");
    }

    @Test
    void errorResponseSeverityFallsBackToLocalizedField() {
        // Servers before 9.6 send no 'V'; 'S' may be localized ("FEHLER").
        ErrorResponse e = (ErrorResponse) decodeOne(concat(hex("45 00 00 00 1a"), ascii("SFEHLER\0C42P01\0Mnope\0\0")));

        assertThat(e.severity()).isEqualTo("FEHLER");
    }

    @Test
    void decodesNoticeResponse() {
        NoticeResponse n = (NoticeResponse) decodeOne(NOTICE_RESPONSE);

        assertThat(n.fields()).containsExactly(Map.entry('S', "NOTICE"), Map.entry('V', "NOTICE"),
                Map.entry('C', "00000"), Map.entry('M', "hello"));
        assertThat(n.message()).isEqualTo("hello");
    }

    @Test
    void decodesNegotiateProtocolVersion() {
        assertThat(decodeOne(NEGOTIATE_PROTOCOL_VERSION))
                .isEqualTo(new NegotiateProtocolVersion(0, List.of("_pq_.a", "_pq_.b")));
    }

    @Test
    void decodesNegotiateProtocolVersionWithoutOptions() {
        assertThat(decodeOne(hex("76 00 00 00 0c  00 00 00 02  00 00 00 00")))
                .isEqualTo(new NegotiateProtocolVersion(2, List.of()));
    }

    // ---- Frames ------------------------------------------------------------------------------

    @Test
    void passesRowDescriptionDataRowAndCommandCompleteAsFrames() {
        ch.writeInbound(buf(ROW_DESCRIPTION, DATA_ROW, COMMAND_COMPLETE));

        List<Object> out = drainInbound(ch);
        try {
            assertThat(out).hasSize(3);
            assertFrame(out.get(0), 'T', ROW_DESCRIPTION);
            assertFrame(out.get(1), 'D', DATA_ROW);
            assertFrame(out.get(2), 'C', COMMAND_COMPLETE);
        } finally {
            releaseAll(out);
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void passesEmptyBodyMessageAsFrame() {
        // ParseComplete: '1', length 4.
        ch.writeInbound(buf(hex("31 00 00 00 04")));

        Frame f = ch.readInbound();
        try {
            assertThat(f.type()).isEqualTo((byte) '1');
            assertThat(bytes(f.content())).isEqualTo(hex("31 00 00 00 04"));
            assertThat(f.body().isReadable()).isFalse();
        } finally {
            f.release();
        }
    }

    @Test
    void decodesFrameOfExactlyMaximumLength() {
        ch.writeInbound(buf(hex("64 00 01 00 00"), repeat(1, MAX - 4)));

        Frame f = ch.readInbound();
        try {
            assertThat(f.content().readableBytes()).isEqualTo(MAX + 1);
        } finally {
            f.release();
        }
    }

    // ---- Streams -----------------------------------------------------------------------------

    /** A whole login as PostgreSQL sends it, then a query result. */
    private static final byte[] LOGIN_AND_QUERY = concat(AUTH_SASL, AUTH_SASL_CONTINUE, AUTH_SASL_FINAL, AUTH_OK,
            PARAMETER_STATUS, BACKEND_KEY_DATA, NOTICE_RESPONSE, READY_IDLE,
            ROW_DESCRIPTION, DATA_ROW, COMMAND_COMPLETE, READY_IDLE);

    @Test
    void decodesLoginAndQueryFromOneBuffer() {
        ch.writeInbound(buf(LOGIN_AND_QUERY));

        assertLoginAndQuery(drainInbound(ch));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesLoginAndQueryFedOneByteAtATime() {
        for (int i = 0; i < LOGIN_AND_QUERY.length; i++) {
            ch.writeInbound(buf(slice(LOGIN_AND_QUERY, i, i + 1)));
        }

        assertLoginAndQuery(drainInbound(ch));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesLoginAndQuerySplitIntoTwoBuffersAtEveryOffset() {
        for (int split = 0; split <= LOGIN_AND_QUERY.length; split++) {
            EmbeddedChannel c = new EmbeddedChannel(new BackendDecoder(MAX));
            c.writeInbound(buf(slice(LOGIN_AND_QUERY, 0, split)));
            c.writeInbound(buf(slice(LOGIN_AND_QUERY, split, LOGIN_AND_QUERY.length)));

            assertLoginAndQuery(drainInbound(c));
            assertThat(c.finish()).as("split at %d", split).isFalse();
        }
    }

    @Test
    void truncatedMessageYieldsNothing() {
        assertThat(ch.writeInbound(buf(slice(ERROR_RESPONSE, 0, ERROR_RESPONSE.length - 1)))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void emptyInputYieldsNothing() {
        assertThat(ch.writeInbound(buf())).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    // ---- Malformed input ---------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("length 3", hex("44 00 00 00 03"), "invalid message length 3 from server"),
                arguments("length 0", hex("5a 00 00 00 00"), "invalid message length 0 from server"),
                arguments("negative length", hex("44 ff ff ff fc"), "invalid message length -4 from server"),
                arguments("length over the limit, body not sent", hex("44 40 00 00 00"),
                        "invalid message length 1073741824 from server"),
                arguments("control message over the limit", hex("52 00 01 00 01"),
                        "invalid message length 65537 from server"),
                arguments("Authentication without code", hex("52 00 00 00 04"), "malformed 'R' message"),
                arguments("Authentication with 2-byte code", hex("52 00 00 00 06  00 00"), "malformed 'R' message"),
                arguments("MD5Password with 2-byte salt", hex("52 00 00 00 0a  00 00 00 05  01 02"),
                        "invalid authentication request"),
                arguments("SASL with unterminated mechanism",
                        concat(hex("52 00 00 00 15  00 00 00 0a"), ascii("SCRAM-SHA-256")), "invalid string"),
                arguments("BackendKeyData with 2 bytes", hex("4b 00 00 00 06  00 01"), "malformed 'K' message"),
                arguments("BackendKeyData without key", hex("4b 00 00 00 08  00 00 30 39"),
                        "invalid cancel key length 0 in BackendKeyData"),
                arguments("BackendKeyData with 3-byte key", hex("4b 00 00 00 0b  00 00 30 39  01 02 03"),
                        "invalid cancel key length 3 in BackendKeyData"),
                arguments("BackendKeyData with 257-byte key", concat(hex("4b 00 00 01 09  00 00 30 39"), repeat(1, 257)),
                        "invalid cancel key length 257 in BackendKeyData"),
                arguments("ParameterStatus without value",
                        concat(hex("53 00 00 00 13"), ascii("server_version\0")), "invalid string"),
                arguments("ParameterStatus unterminated", concat(hex("53 00 00 00 08"), ascii("abcd")),
                        "invalid string"),
                arguments("ReadyForQuery without status", hex("5a 00 00 00 04"), "invalid ReadyForQuery length"),
                arguments("ReadyForQuery with 2 bytes", hex("5a 00 00 00 06  49 49"), "invalid ReadyForQuery length"),
                arguments("ReadyForQuery status X", hex("5a 00 00 00 05  58"),
                        "invalid transaction status in ReadyForQuery"),
                arguments("ErrorResponse unterminated field", concat(hex("45 00 00 00 08"), ascii("Mabc")),
                        "invalid string"),
                arguments("NoticeResponse unterminated field", concat(hex("4e 00 00 00 08"), ascii("Mabc")),
                        "invalid string"),
                arguments("NegotiateProtocolVersion without count", hex("76 00 00 00 08  00 00 00 00"),
                        "malformed 'v' message"),
                arguments("NegotiateProtocolVersion unterminated option",
                        concat(hex("76 00 00 00 0f  00 00 00 00  00 00 00 01"), ascii("_pq")), "invalid string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedMessage(String what, byte[] message, String expected) {
        assertViolation(message, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void dropsInputAfterMalformedMessageWithoutASecondException(String what, byte[] message, String expected) {
        assertViolation(message, expected);

        assertThat(ch.writeInbound(buf(READY_IDLE))).isFalse();
        assertThat(ch.writeInbound(buf(DATA_ROW))).isFalse();
        assertThat(ch.writeInbound(buf(message))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void dropsBytesBehindMalformedMessageInTheSameBuffer(String what, byte[] message, String expected) {
        assertThatThrownBy(() -> ch.writeInbound(buf(message, READY_IDLE, DATA_ROW)))
                .isInstanceOf(ProtocolException.class);

        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void emitsMessagesDecodedBeforeAMalformedOneInTheSameBuffer() {
        assertThatThrownBy(() -> ch.writeInbound(buf(DATA_ROW, READY_IDLE, hex("5a 00 00 00 05  58"))))
                .isInstanceOf(ProtocolException.class);

        List<Object> out = drainInbound(ch);
        try {
            assertThat(out).hasSize(2);
            assertFrame(out.get(0), 'D', DATA_ROW);
            assertThat(out.get(1)).isSameAs(ReadyForQuery.IDLE);
        } finally {
            releaseAll(out);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Decodes one complete control message; asserts nothing else came out. */
    private Object decodeOne(byte[] message) {
        assertThat(ch.writeInbound(buf(message))).isTrue();
        Object m = ch.readInbound();
        assertThat(m).isNotInstanceOf(Frame.class);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
        return m;
    }

    private void assertViolation(byte[] message, String expected) {
        assertThatThrownBy(() -> ch.writeInbound(buf(message)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
                    assertThat(e.getMessage()).contains(expected);
                });
        assertThat(ch.<Object>readInbound()).as("nothing emitted").isNull();
    }

    private static void assertLoginAndQuery(List<Object> out) {
        try {
            assertThat(out).hasSize(12);
            assertThat(out.get(0)).isInstanceOf(Authentication.Sasl.class);
            assertThat(out.get(1)).isInstanceOf(Authentication.SaslContinue.class);
            assertThat(out.get(2)).isInstanceOf(Authentication.SaslFinal.class);
            assertThat(out.get(3)).isSameAs(Authentication.Ok.INSTANCE);
            assertThat(out.get(4)).isEqualTo(new ParameterStatus("server_version", "16.4"));
            assertThat(out.get(5)).isEqualTo(new BackendKeyData(12345, hex("de ad be ef")));
            assertThat(out.get(6)).isInstanceOf(NoticeResponse.class);
            assertThat(out.get(7)).isSameAs(ReadyForQuery.IDLE);
            assertFrame(out.get(8), 'T', ROW_DESCRIPTION);
            assertFrame(out.get(9), 'D', DATA_ROW);
            assertFrame(out.get(10), 'C', COMMAND_COMPLETE);
            assertThat(out.get(11)).isSameAs(ReadyForQuery.IDLE);
        } finally {
            releaseAll(out);
        }
    }

    private static void assertFrame(Object o, char type, byte[] whole) {
        assertThat(o).isInstanceOf(Frame.class);
        Frame f = (Frame) o;
        assertThat(f.type()).isEqualTo((byte) type);
        assertThat(bytes(f.content())).isEqualTo(whole);
        assertThat(bytes(f.body())).isEqualTo(slice(whole, 5, whole.length));
    }
}
