package dev.meridian.protocol.message;

import static dev.meridian.protocol.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CancelRequest and BackendKeyData carry the same secret: value semantics, no leaking copies or prints. */
class CancelKeyTest {
    private static final byte[] KEY = hex("de ad be ef");

    @Test
    void cancelRequestsWithEqualKeysAreEqual() {
        assertThat(new CancelRequest(1, hex("de ad be ef")))
                .isEqualTo(new CancelRequest(1, hex("de ad be ef")))
                .hasSameHashCodeAs(new CancelRequest(1, hex("de ad be ef")))
                .isNotEqualTo(new CancelRequest(1, hex("de ad be ee")))
                .isNotEqualTo(new CancelRequest(2, hex("de ad be ef")));
    }

    @Test
    void cancelRequestToStringHidesTheKey() {
        assertThat(new CancelRequest(12345, KEY).toString())
                .isEqualTo("CancelRequest[processId=12345, secretKey=<4 bytes>]");
    }

    @Test
    void cancelRequestKeepsItsOwnCopyOfTheKey() {
        byte[] key = KEY.clone();
        CancelRequest c = new CancelRequest(1, key);

        key[0] = 0;
        c.secretKey()[1] = 0;

        assertThat(c.secretKey()).isEqualTo(KEY);
    }

    @Test
    void backendKeyDataWithEqualKeysAreEqual() {
        assertThat(new BackendKeyData(1, hex("de ad be ef")))
                .isEqualTo(new BackendKeyData(1, hex("de ad be ef")))
                .hasSameHashCodeAs(new BackendKeyData(1, hex("de ad be ef")))
                .isNotEqualTo(new BackendKeyData(1, hex("00 ad be ef")))
                .isNotEqualTo(new BackendKeyData(9, hex("de ad be ef")));
    }

    @Test
    void backendKeyDataToStringHidesTheKey() {
        assertThat(new BackendKeyData(12345, KEY).toString())
                .isEqualTo("BackendKeyData[processId=12345, secretKey=<4 bytes>]");
    }

    @Test
    void backendKeyDataKeepsItsOwnCopyOfTheKey() {
        byte[] key = KEY.clone();
        BackendKeyData k = new BackendKeyData(1, key);

        key[0] = 0;
        k.secretKey()[1] = 0;

        assertThat(k.secretKey()).isEqualTo(KEY);
    }

    @Test
    void backendKeyDataBecomesTheMatchingCancelRequest() {
        assertThat(new BackendKeyData(12345, KEY).toCancelRequest()).isEqualTo(new CancelRequest(12345, KEY));
    }
}
