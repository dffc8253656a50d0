package dev.meridian.protocol.codec;

import static dev.meridian.protocol.codec.Wire.ascii;
import static dev.meridian.protocol.codec.Wire.bytes;
import static dev.meridian.protocol.codec.Wire.concat;
import static dev.meridian.protocol.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class MessageWriterTest {

    @Test
    void writesTypeThenLengthCountingItselfButNotTheType() {
        ByteBuf b = Unpooled.directBuffer();
        try {
            MessageWriter.write(b, 'C', body -> CStrings.write(body, "SELECT 1"));

            assertThat(bytes(b)).isEqualTo(concat(hex("43 00 00 00 0d"), ascii("SELECT 1\0")));
        } finally {
            b.release();
        }
    }

    @Test
    void writesEmptyBodyAsLength4() {
        ByteBuf b = Unpooled.directBuffer();
        try {
            MessageWriter.write(b, 'I', body -> { });

            assertThat(bytes(b)).isEqualTo(hex("49 00 00 00 04"));
        } finally {
            b.release();
        }
    }

    @Test
    void writesUntypedMessageWithLengthOnly() {
        ByteBuf b = Unpooled.directBuffer();
        try {
            MessageWriter.writeUntyped(b, body -> body.writeInt(80877103));

            assertThat(bytes(b)).isEqualTo(hex("00 00 00 08  04 d2 16 2f"));
        } finally {
            b.release();
        }
    }

    @Test
    void backfillsEachLengthWhenMessagesFollowOneAnother() {
        ByteBuf b = Unpooled.directBuffer();
        try {
            b.writeByte('N');
            MessageWriter.write(b, 'S', body -> {
                CStrings.write(body, "a");
                CStrings.write(body, "b");
            });
            MessageWriter.write(b, 'Z', body -> body.writeByte('I'));

            assertThat(bytes(b)).isEqualTo(concat(hex("4e  53 00 00 00 08"), ascii("a\0b\0"), hex("5a 00 00 00 05  49")));
        } finally {
            b.release();
        }
    }

    @Test
    void allocatesABufferHoldingOneMessage() {
        ByteBuf b = MessageWriter.allocate(ByteBufAllocator.DEFAULT, 'Z', body -> body.writeByte('T'));
        try {
            assertThat(bytes(b)).isEqualTo(hex("5a 00 00 00 05  54"));
        } finally {
            b.release();
        }
    }

    @Test
    void growsTheBufferForALargeBody() {
        ByteBuf b = Unpooled.directBuffer(8);
        try {
            MessageWriter.write(b, 'd', body -> body.writeZero(100_000));

            assertThat(b.readableBytes()).isEqualTo(100_005);
            assertThat(b.getInt(1)).isEqualTo(100_004);
        } finally {
            b.release();
        }
    }
}
