package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One slowloris connection: sends single bytes when told. From the moment it connects, a reader
 * waits for what the proxy says, so the time it was cut off is measured when it happens.
 */
final class SlowClient implements AutoCloseable {
    /** What the proxy sent, and when, in ms after connecting. */
    record Cut(RawClient.Message message, boolean closedAfter, long afterMillis) {
    }

    private final RawClient raw;
    private final CompletableFuture<Cut> cut;

    private SlowClient(RawClient raw, ExecutorService readers) {
        this.raw = raw;
        long connectedAt = System.nanoTime();
        this.cut = CompletableFuture.supplyAsync(() -> {
            try {
                RawClient.Message m = raw.read();
                long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt);
                return new Cut(m, raw.closedByServer(), after);
            } catch (IOException e) {
                throw new IllegalStateException("slow client read failed", e);
            }
        }, readers);
    }

    static SlowClient open(int port, ExecutorService readers) throws IOException {
        return new SlowClient(new RawClient("127.0.0.1", port), readers);
    }

    void send(byte b) throws IOException {
        raw.send(new byte[] {b});
    }

    /** FATAL 08P01 then a close, no sooner than the startup timeout after connecting, not much later. */
    long assertCutWithTimeoutError(long timeoutMillis) throws Exception {
        Cut c = cut.get(timeoutMillis + 10_000, TimeUnit.MILLISECONDS);
        Map<Character, String> fields = c.message().fields();
        assertThat(c.message().type()).isEqualTo('E');
        assertThat(fields).containsEntry('S', "FATAL").containsEntry('C', "08P01")
                .containsEntry('M', "canceling authentication due to timeout");
        assertThat(c.closedAfter()).as("closed after the error").isTrue();
        assertThat(c.afterMillis()).as("ms from connect to the timeout error")
                .isBetween(timeoutMillis - 50, timeoutMillis + 3000);
        return c.afterMillis();
    }

    @Override
    public void close() throws IOException {
        raw.close();
        cut.cancel(true);
    }
}
