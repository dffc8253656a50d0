package dev.meridian.proxy.session;

import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.proxy.config.BackendConfig;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients never see a backend's cancel key: each session gets a random key of Meridian's own
 * (SecureRandom), and this registry maps it to the backend and the backend's key. A cancel
 * request with an unknown key is dropped, as PostgreSQL does.
 */
public final class CancelRegistry {
    /** Where a cancel for one client key must go. */
    public record Target(BackendConfig backend, BackendKeyData backendKey) {
    }

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<ByteBuffer, Target> targets = new ConcurrentHashMap<>();

    /** Issues a fresh client-facing key for a session on {@code target}. */
    public BackendKeyData register(Target target) {
        while (true) {
            byte[] secret = new byte[4];
            random.nextBytes(secret);
            BackendKeyData key = new BackendKeyData(random.nextInt() & Integer.MAX_VALUE, secret);
            if (targets.putIfAbsent(lookupKey(key.processId(), secret), target) == null) {
                return key;
            }
        }
    }

    public void unregister(BackendKeyData clientKey) {
        targets.remove(lookupKey(clientKey.processId(), clientKey.secretKey()));
    }

    public Optional<Target> find(CancelRequest request) {
        return Optional.ofNullable(targets.get(lookupKey(request.processId(), request.secretKey())));
    }

    private static ByteBuffer lookupKey(int pid, byte[] secret) {
        return ByteBuffer.allocate(4 + secret.length).putInt(pid).put(secret).flip();
    }
}
