package dev.meridian.protocol.message;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.buf;
import static dev.meridian.protocol.codec.Wire.bytes;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.codec.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class FrameTest {
    private static final byte[] QUERY = concat(hex("51 00 00 00 0d"), ascii("select 1\0"));

    @Test
    void typeIsTheFirstByte() {
        Frame f = new Frame(buf(QUERY));
        try {
            assertThat(f.type()).isEqualTo((byte) 'Q');
        } finally {
            f.release();
        }
    }

    @Test
    void bodyIsEverythingAfterTheHeader() {
        Frame f = new Frame(buf(QUERY));
        try {
            assertThat(bytes(f.body())).isEqualTo(ascii("select 1\0"));
        } finally {
            f.release();
        }
    }

    @Test
    void honoursTheContentReaderIndex() {
        ByteBuf b = buf(hex("aa bb"), QUERY);
        b.skipBytes(2);
        Frame f = new Frame(b);
        try {
            assertThat(f.type()).isEqualTo((byte) 'Q');
            assertThat(bytes(f.body())).isEqualTo(ascii("select 1\0"));
        } finally {
            f.release();
        }
    }

    @Test
    void bodySharesTheFrameReferenceCount() {
        Frame f = new Frame(buf(QUERY));
        ByteBuf body = f.body();

        assertThat(body.refCnt()).isEqualTo(1);
        f.release();
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void retainAndTouchReturnTheFrame() {
        Frame f = new Frame(buf(QUERY));
        try {
            assertThat(f.retain()).isSameAs(f);
            assertThat(f.refCnt()).isEqualTo(2);
            assertThat(f.retain(2)).isSameAs(f);
            assertThat(f.touch()).isSameAs(f);
            assertThat(f.touch("hint")).isSameAs(f);
            assertThat(f.release(3)).isFalse();
        } finally {
            f.release();
        }
    }

    @Test
    void retainedDuplicateIsAFrameOfTheSameBytes() {
        Frame f = new Frame(buf(QUERY));
        ByteBufHolder dup = f.retainedDuplicate();
        try {
            assertThat(dup).isInstanceOf(Frame.class);
            assertThat(bytes(dup.content())).isEqualTo(QUERY);
        } finally {
            dup.release();
            f.release();
        }
        assertThat(f.refCnt()).isZero();
    }

    @Test
    void toStringShowsTypeAndSizeButNoContent() {
        Frame f = new Frame(buf(QUERY));
        try {
            assertThat(f).hasToString("Frame['Q', 14 bytes]");
        } finally {
            f.release();
        }
    }
}
