package dev.meridian.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MessageScanner#messageStart()}: where, in the scanned buffer, a reported message begins. */
class MessageScannerStartTest {
    private final List<Integer> starts = new ArrayList<>();
    private MessageScanner scanner;

    private ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer();
        for (int x : b) {
            buf.writeByte(x);
        }
        return buf;
    }

    @Test
    void startsAreIndexesIntoTheBufferForWholeHeaders() {
        scanner = new MessageScanner(1 << 20, (t, l, f) -> starts.add(scanner.messageStart()));
        ByteBuf buf = bytes('Q', 0, 0, 0, 6, 'x', 0, 'X', 0, 0, 0, 4);
        buf.readerIndex(0);
        scanner.scan(buf);
        assertThat(starts).containsExactly(0, 7);
        buf.release();
    }

    @Test
    void startsHonourTheReaderIndex() {
        scanner = new MessageScanner(1 << 20, (t, l, f) -> starts.add(scanner.messageStart()));
        ByteBuf buf = bytes(9, 9, 9, 'X', 0, 0, 0, 4);
        buf.readerIndex(3);
        scanner.scan(buf);
        assertThat(starts).containsExactly(3);
        buf.release();
    }

    @Test
    void aHeaderThatStraddlesBuffersReportsMinusOne() {
        scanner = new MessageScanner(1 << 20, (t, l, f) -> starts.add(scanner.messageStart()));
        ByteBuf first = bytes('X', 0, 0);
        ByteBuf second = bytes(0, 4);
        scanner.scan(first);
        scanner.scan(second);
        assertThat(starts).containsExactly(-1);
        first.release();
        second.release();
    }
}
