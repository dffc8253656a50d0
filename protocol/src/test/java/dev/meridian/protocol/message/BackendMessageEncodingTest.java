package dev.meridian.protocol.message;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.hex;
import static dev.meridian.protocol.codec.Wire.repeat;
import static dev.meridian.protocol.message.StartupPacketEncodingTest.encoded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.codec.BackendDecoder;
import dev.meridian.protocol.codec.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Golden bytes for every backend message the proxy can write (it plays the server to clients),
 * and each one back through {@link BackendDecoder}.
 */
@ExtendWith(LeakCheck.class)
class BackendMessageEncodingTest {

    // ---- Authentication ----------------------------------------------------------------------

    @Test
    void encodesAuthenticationOk() {
        assertGoldenAndRoundTrip(Authentication.Ok.INSTANCE, hex("52 00 00 00 08  00 00 00 00"));
    }

    @Test
    void encodesAuthenticationCleartextPassword() {
        assertGoldenAndRoundTrip(Authentication.CleartextPassword.INSTANCE, hex("52 00 00 00 08  00 00 00 03"));
    }

    @Test
    void encodesAuthenticationMd5Password() {
        assertGoldenAndRoundTrip(new Authentication.Md5Password(hex("9a 1b 2c 3d")),
                hex("52 00 00 00 0c  00 00 00 05  9a 1b 2c 3d"));
    }

    @Test
    void encodesAuthenticationSasl() {
        assertGoldenAndRoundTrip(new Authentication.Sasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                concat(hex("52 00 00 00 2a  00 00 00 0a"), ascii("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0")));
    }

    @Test
    void encodesAuthenticationSaslWithOneMechanism() {
        assertGoldenAndRoundTrip(new Authentication.Sasl(List.of("SCRAM-SHA-256")),
                concat(hex("52 00 00 00 17  00 00 00 0a"), ascii("SCRAM-SHA-256\0\0")));
    }

    @Test
    void encodesAuthenticationSaslContinue() {
        assertGoldenAndRoundTrip(new Authentication.SaslContinue(ascii("r=abc,s=c2FsdA==,i=4096")),
                concat(hex("52 00 00 00 1f  00 00 00 0b"), ascii("r=abc,s=c2FsdA==,i=4096")));
    }

    @Test
    void encodesAuthenticationSaslFinal() {
        assertGoldenAndRoundTrip(new Authentication.SaslFinal(ascii("v=c2lnbmF0dXJl")),
                concat(hex("52 00 00 00 16  00 00 00 0c"), ascii("v=c2lnbmF0dXJl")));
    }

    @Test
    void encodesUnsupportedAuthenticationAsItsCode() {
        assertGoldenAndRoundTrip(new Authentication.Unsupported(7), hex("52 00 00 00 08  00 00 00 07"));
    }

    // ---- Other control messages --------------------------------------------------------------

    @Test
    void encodesBackendKeyDataWith4ByteKey() {
        assertGoldenAndRoundTrip(new BackendKeyData(12345, hex("de ad be ef")),
                hex("4b 00 00 00 0c  00 00 30 39  de ad be ef"));
    }

    @Test
    void encodesBackendKeyDataWith32ByteKey() {
        assertGoldenAndRoundTrip(new BackendKeyData(7, repeat(0xa5, 32)),
                concat(hex("4b 00 00 00 28  00 00 00 07"), repeat(0xa5, 32)));
    }

    @Test
    void encodesParameterStatus() {
        assertGoldenAndRoundTrip(new ParameterStatus("server_version", "16.4"),
                concat(hex("53 00 00 00 18"), ascii("server_version\u000016.4\0")));
    }

    @Test
    void encodesReadyForQueryIdle() {
        assertGoldenAndRoundTrip(ReadyForQuery.IDLE, hex("5a 00 00 00 05  49"));
    }

    @Test
    void encodesReadyForQueryInTransaction() {
        assertGoldenAndRoundTrip(ReadyForQuery.IN_TRANSACTION, hex("5a 00 00 00 05  54"));
    }

    @Test
    void encodesReadyForQueryFailedTransaction() {
        assertGoldenAndRoundTrip(ReadyForQuery.FAILED_TRANSACTION, hex("5a 00 00 00 05  45"));
    }

    @Test
    void encodesFatalErrorResponse() {
        assertGoldenAndRoundTrip(ErrorResponse.fatal("28P01", "password authentication failed for user \"alice\""),
                concat(hex("45 00 00 00 4b"),
                        ascii("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"alice\"\0\0")));
    }

    @Test
    void encodesErrorResponseOfSeverityError() {
        assertGoldenAndRoundTrip(ErrorResponse.error("42601", "syntax error"),
                concat(hex("45 00 00 00 28"), ascii("SERROR\0VERROR\0C42601\0Msyntax error\0\0")));
    }

    @Test
    void encodesErrorResponseWithAllStandardFieldsInOrder() {
        Map<Character, String> f = new LinkedHashMap<>();
        String[] kv = {"S", "ERROR", "V", "ERROR", "C", "22012", "M", "division by zero", "D", "detail", "H", "hint",
            "P", "8", "p", "2", "q", "select 1/0", "W", "context", "s", "public", "t", "t", "c", "col", "d", "int4",
            "n", "con", "F", "int.c", "L", "821", "R", "int4div"};
        for (int i = 0; i < kv.length; i += 2) {
            f.put(kv[i].charAt(0), kv[i + 1]);
        }

        assertGoldenAndRoundTrip(new ErrorResponse(f), concat(hex("45 00 00 00 85"), ascii(
                "SERROR\0VERROR\0C22012\0Mdivision by zero\0Ddetail\0Hhint\0P8\0p2\0qselect 1/0\0Wcontext\0"
                + "spublic\0tt\0ccol\0dint4\0ncon\0Fint.c\0L821\0Rint4div\0\0")));
    }

    @Test
    void encodesNoticeResponse() {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put('S', "NOTICE");
        f.put('V', "NOTICE");
        f.put('C', "00000");
        f.put('M', "hello");

        assertGoldenAndRoundTrip(new NoticeResponse(f),
                concat(hex("4e 00 00 00 23"), ascii("SNOTICE\0VNOTICE\0C00000\0Mhello\0\0")));
    }

    @Test
    void encodesNegotiateProtocolVersion() {
        assertGoldenAndRoundTrip(new NegotiateProtocolVersion(0, List.of("_pq_.a", "_pq_.b")),
                concat(hex("76 00 00 00 1a  00 00 00 00  00 00 00 02"), ascii("_pq_.a\0_pq_.b\0")));
    }

    @Test
    void encodesNegotiateProtocolVersionWithoutOptions() {
        assertGoldenAndRoundTrip(new NegotiateProtocolVersion(2, List.of()),
                hex("76 00 00 00 0c  00 00 00 02  00 00 00 00"));
    }

    @Test
    void encodesSeveralMessagesBackToBackInOneBuffer() {
        byte[] out = encoded(b -> {
            Authentication.Ok.INSTANCE.encode(b);
            new ParameterStatus("a", "b").encode(b);
            ReadyForQuery.IDLE.encode(b);
        });

        assertThat(out).isEqualTo(concat(hex("52 00 00 00 08  00 00 00 00"),
                hex("53 00 00 00 08"), ascii("a\0b\0"),
                hex("5a 00 00 00 05  49")));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void assertGoldenAndRoundTrip(BackendMessage message, byte[] golden) {
        byte[] out = encoded(encoderOf(message));
        assertThat(out).as("encoded %s", message).isEqualTo(golden);

        EmbeddedChannel ch = new EmbeddedChannel(new BackendDecoder(1 << 16));
        assertThat(ch.writeInbound(buf(out))).isTrue();
        assertThat(ch.<Object>readInbound()).as("decoded").isEqualTo(message);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    private static Consumer<ByteBuf> encoderOf(BackendMessage message) {
        if (message instanceof Authentication m) {
            return m::encode;
        } else if (message instanceof BackendKeyData m) {
            return m::encode;
        } else if (message instanceof ParameterStatus m) {
            return m::encode;
        } else if (message instanceof ReadyForQuery m) {
            return m::encode;
        } else if (message instanceof ErrorResponse m) {
            return m::encode;
        } else if (message instanceof NoticeResponse m) {
            return m::encode;
        } else if (message instanceof NegotiateProtocolVersion m) {
            return m::encode;
        }
        throw new AssertionError("no encoder for " + message);
    }
}
