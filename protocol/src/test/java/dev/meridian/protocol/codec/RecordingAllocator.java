package dev.meridian.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Remembers every buffer it hands out, so a fuzz target can check after each input that all of
 * them were released: a leak is caught with the input that caused it, not only by the GC-driven
 * {@link LeakCheck} after the class. Direct by default, so buffers are also leak-tracked.
 */
public final class RecordingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    public RecordingAllocator() {
        super(true);
    }

    public ByteBuf copyOf(byte[] bytes) {
        return directBuffer(Math.max(1, bytes.length)).writeBytes(bytes);
    }

    public void assertAllReleased() {
        for (ByteBuf b : allocated) {
            assertThat(b.refCnt()).as("reference count of a buffer after the run (%s)", b).isZero();
        }
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return remember(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return remember(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf remember(ByteBuf b) {
        allocated.add(b);
        return b;
    }
}
