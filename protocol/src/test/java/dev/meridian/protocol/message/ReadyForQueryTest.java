package dev.meridian.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadyForQueryTest {

    @Test
    void mapsEachStatusByteToItsConstant() {
        assertThat(ReadyForQuery.of((byte) 'I')).isSameAs(ReadyForQuery.IDLE);
        assertThat(ReadyForQuery.of((byte) 'T')).isSameAs(ReadyForQuery.IN_TRANSACTION);
        assertThat(ReadyForQuery.of((byte) 'E')).isSameAs(ReadyForQuery.FAILED_TRANSACTION);
    }

    @Test
    void eachConstantHasItsStatusByte() {
        assertThat(ReadyForQuery.IDLE.status()).isEqualTo((byte) 'I');
        assertThat(ReadyForQuery.IN_TRANSACTION.status()).isEqualTo((byte) 'T');
        assertThat(ReadyForQuery.FAILED_TRANSACTION.status()).isEqualTo((byte) 'E');
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(ints = {0, 'i', 'X', 0xff})
    void refusesAnyOtherStatus(int status) {
        assertThatThrownBy(() -> ReadyForQuery.of((byte) status))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION));
    }
}
