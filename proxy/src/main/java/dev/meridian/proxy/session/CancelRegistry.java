package dev.meridian.proxy.session;

import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.proxy.cluster.ForwardedCancel;
import dev.meridian.proxy.cluster.InstanceTag;
import dev.meridian.proxy.config.BackendConfig;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients never see a backend's cancel key: each session gets a random key of Meridian's own
 * (SecureRandom), and this registry maps it to the backend and the backend's key. A key names the
 * instance that issued it ({@link InstanceTag} describes the layout: a 15-bit instance tag and 16
 * random bits in the process id, a random 4-byte secret), so a sibling that receives the cancel
 * can forward it here. A cancel request with an unknown key is dropped, as PostgreSQL does.
 */
public final class CancelRegistry {
    /** Where a cancel for one client key must go. */
    public record Target(BackendConfig backend, BackendKeyData backendKey) {
        /** A transaction-pooled session between transactions: a cancel has nothing to reach. */
        public static final Target NONE = new Target(null, null);
    }

    private final InstanceTag tag;
    private final Random random;
    private final ConcurrentHashMap<ByteBuffer, Target> targets = new ConcurrentHashMap<>();

    public CancelRegistry(InstanceTag tag) {
        this(tag, new SecureRandom());
    }

    /** {@code random} is SecureRandom outside tests. */
    CancelRegistry(InstanceTag tag, Random random) {
        this.tag = tag;
        this.random = random;
    }

    /** The tag of every key this registry issues. */
    public InstanceTag tag() {
        return tag;
    }

    /** Issues a fresh client-facing key for a session on {@code target}; a key in use is never reissued. */
    public BackendKeyData register(Target target) {
        while (true) {
            byte[] secret = new byte[ForwardedCancel.SECRET_LENGTH];
            random.nextBytes(secret);
            BackendKeyData key = new BackendKeyData(tag.processId(random.nextInt()), secret);
            if (targets.putIfAbsent(lookupKey(key.processId(), secret), target) == null) {
                return key;
            }
        }
    }

    /** The session's query now runs elsewhere (transaction pooling); a key no longer registered stays so. */
    public void retarget(BackendKeyData clientKey, Target target) {
        targets.replace(lookupKey(clientKey.processId(), clientKey.secretKey()), target);
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
