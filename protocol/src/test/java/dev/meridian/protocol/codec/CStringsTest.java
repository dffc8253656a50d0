package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.bytes;
import static dev.meridian.protocol.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class CStringsTest {

    @Test
    void readsUpToTheNulAndConsumesIt() {
        ByteBuf b = buf(ascii("user\0alice\0"));
        try {
            assertThat(CStrings.read(b)).isEqualTo("user");
            assertThat(b.readerIndex()).isEqualTo(5);
            assertThat(CStrings.read(b)).isEqualTo("alice");
            assertThat(b.isReadable()).isFalse();
        } finally {
            b.release();
        }
    }

    @Test
    void readsTheEmptyString() {
        ByteBuf b = buf(hex("00 41"));
        try {
            assertThat(CStrings.read(b)).isEmpty();
            assertThat(b.readerIndex()).isEqualTo(1);
        } finally {
            b.release();
        }
    }

    @Test
    void readsUtf8() {
        ByteBuf b = buf(hex("6a c3 bc 72 67 65 6e 00"));
        try {
            assertThat(CStrings.read(b)).isEqualTo("jürgen");
        } finally {
            b.release();
        }
    }

    @Test
    void readsFromTheReaderIndexOfASlice() {
        ByteBuf b = buf(ascii("xx\0name\0yy"));
        try {
            ByteBuf slice = b.slice(3, 5);
            assertThat(CStrings.read(slice)).isEqualTo("name");
        } finally {
            b.release();
        }
    }

    @Test
    void refusesAStringWithoutTerminatorAndLeavesTheReaderIndex() {
        ByteBuf b = buf(ascii("user"));
        try {
            assertThatThrownBy(() -> CStrings.read(b)).isInstanceOfSatisfying(ProtocolException.class, e -> {
                assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
                assertThat(e.getMessage()).isEqualTo("invalid string in message");
            });
            assertThat(b.readerIndex()).isZero();
        } finally {
            b.release();
        }
    }

    @Test
    void doesNotLookPastTheWriterIndexOfASlice() {
        ByteBuf b = buf(ascii("abc\0"));
        try {
            ByteBuf slice = b.slice(0, 3);
            assertThatThrownBy(() -> CStrings.read(slice)).isInstanceOf(ProtocolException.class);
        } finally {
            b.release();
        }
    }

    @Test
    void refusesAnEmptyBuffer() {
        assertThatThrownBy(() -> CStrings.read(Unpooled.EMPTY_BUFFER)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void writesUtf8AndATerminator() {
        ByteBuf b = Unpooled.directBuffer();
        try {
            CStrings.write(b, "jürgen");
            CStrings.write(b, "");
            assertThat(bytes(b)).isEqualTo(hex("6a c3 bc 72 67 65 6e 00  00"));
        } finally {
            b.release();
        }
    }
}
