package dev.meridian.protocol.message;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

    @Test
    void eachRequestHasItsWireCode() {
        assertThat(Authentication.Ok.INSTANCE.code()).isZero();
        assertThat(Authentication.CleartextPassword.INSTANCE.code()).isEqualTo(3);
        assertThat(new Authentication.Md5Password(hex("00 00 00 00")).code()).isEqualTo(5);
        assertThat(new Authentication.Sasl(List.of()).code()).isEqualTo(10);
        assertThat(new Authentication.SaslContinue(new byte[0]).code()).isEqualTo(11);
        assertThat(new Authentication.SaslFinal(new byte[0]).code()).isEqualTo(12);
        assertThat(new Authentication.Unsupported(9).code()).isEqualTo(9);
    }

    @Test
    void md5PasswordsWithEqualSaltsAreEqual() {
        assertThat(new Authentication.Md5Password(hex("01 02 03 04")))
                .isEqualTo(new Authentication.Md5Password(hex("01 02 03 04")))
                .hasSameHashCodeAs(new Authentication.Md5Password(hex("01 02 03 04")))
                .isNotEqualTo(new Authentication.Md5Password(hex("01 02 03 05")));
    }

    @Test
    void saslContinuesWithEqualDataAreEqual() {
        assertThat(new Authentication.SaslContinue(ascii("r=a")))
                .isEqualTo(new Authentication.SaslContinue(ascii("r=a")))
                .hasSameHashCodeAs(new Authentication.SaslContinue(ascii("r=a")))
                .isNotEqualTo(new Authentication.SaslContinue(ascii("r=b")))
                .isNotEqualTo(new Authentication.SaslFinal(ascii("r=a")));
    }

    @Test
    void saslFinalsWithEqualDataAreEqual() {
        assertThat(new Authentication.SaslFinal(ascii("v=x")))
                .isEqualTo(new Authentication.SaslFinal(ascii("v=x")))
                .hasSameHashCodeAs(new Authentication.SaslFinal(ascii("v=x")))
                .isNotEqualTo(new Authentication.SaslFinal(ascii("v=y")));
    }

    @Test
    void saslMechanismsAreAnImmutableCopy() {
        List<String> offered = new ArrayList<>(List.of("SCRAM-SHA-256"));
        Authentication.Sasl sasl = new Authentication.Sasl(offered);

        offered.add("PLAIN");

        assertThat(sasl.mechanisms()).containsExactly("SCRAM-SHA-256");
        assertThatThrownBy(() -> sasl.mechanisms().add("PLAIN")).isInstanceOf(UnsupportedOperationException.class);
    }
}
