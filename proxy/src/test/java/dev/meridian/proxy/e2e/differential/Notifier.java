package dev.meridian.proxy.e2e.differential;

/**
 * Sends {@code NOTIFY} from outside the client under test. It goes straight to PostgreSQL: a
 * notifier that queued for a transaction-mode connection could wait behind listeners that are
 * pinned while they wait for it.
 */
@FunctionalInterface
public interface Notifier {
    void notify(String channel, String payload);
}
