package dev.meridian.proxy.backend.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class SlotsTest {
    private static Waiter waiter() {
        return new Waiter(null, null, null, null, null, null);
    }

    @Test
    void aSessionAtTheCapWaitsForTheNextFreedSlot() {
        Slots s = new Slots();
        Waiter first = waiter();
        Waiter second = waiter();
        assertThat(s.reserveOrEnqueue(1, first)).isTrue();
        assertThat(s.reserveOrEnqueue(1, second)).isFalse();
        assertThat(s.hasWaiters()).isTrue();
        List<Waiter> retried = new ArrayList<>();
        s.freed(retried::add);
        assertThat(retried).containsExactly(second);
        assertThat(s.hasWaiters()).isFalse();
    }

    /** A released connection prefers a waiter on its own loop; without one, one on any loop (moved there). */
    @Test
    void aWaiterOfTheKeyIsTakenFromItsOwnLoopFirstThenFromAnyLoop() {
        EventLoop a = new DefaultEventLoop();
        EventLoop b = new DefaultEventLoop();
        try {
            PoolKey key = new PoolKey("pg", Map.of("user", "app"));
            PoolKey other = new PoolKey("pg", Map.of("user", "other"));
            Slots s = new Slots();
            Waiter onB = new Waiter(b, null, null, null, key, null);
            Waiter otherKeyOnA = new Waiter(a, null, null, null, other, null);
            Waiter onA = new Waiter(a, null, null, null, key, null);
            s.enqueue(onB);
            s.enqueue(otherKeyOnA);
            s.enqueue(onA);
            assertThat(s.takeWaiter(a, key)).isSameAs(onA);
            assertThat(s.takeWaiter(a, key)).isNull();
            assertThat(s.takeWaiter(null, key)).isSameAs(onB);
            assertThat(s.takeWaiter(null, key)).isNull();
            assertThat(s.takeWaiter(null, other)).isSameAs(otherKeyOnA);
        } finally {
            a.shutdownGracefully();
            b.shutdownGracefully();
        }
    }

    /**
     * A slot freed on one loop while a session on another finds the backend at its cap: the
     * session either gets the slot or is handed it by the free, never left waiting with a slot
     * free (the lost wake-up behind transaction-mode clients waiting 120 s for nothing: 53300).
     */
    @Test
    void aSlotFreedWhileASessionQueuesIsNeverLost() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        for (int i = 0; i < 2_000; i++) {
            Slots s = new Slots();
            assertThat(s.reserveOrEnqueue(1, waiter())).isTrue();
            Waiter w = waiter();
            List<Waiter> retried = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> free = CompletableFuture.runAsync(() -> {
                await(start);
                s.freed(retried::add);
            });
            await(start);
            boolean reserved = s.reserveOrEnqueue(1, w);
            free.get();
            assertThat(reserved || retried.contains(w)).as("iteration %d", i).isTrue();
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
