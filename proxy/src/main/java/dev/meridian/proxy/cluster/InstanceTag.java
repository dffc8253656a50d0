package dev.meridian.proxy.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The part of a Meridian cancel key that names the instance which issued it, so that a
 * CancelRequest landing on a sibling instance (Fly may send the cancel connection to another
 * machine than the session's) can be forwarded to its owner.
 *
 * <p>Key layout, as handed to clients in BackendKeyData (protocol 3.0: Int32 process id, then a
 * 4-byte secret):
 * <pre>
 *  process id  bit 31      0            PostgreSQL process ids are positive; clients print them
 *              bits 30..16 instance tag  15 bits: the first two bytes of SHA-256(instance id)
 *              bits 15..0  random        SecureRandom
 *  secret      4 bytes     random        SecureRandom
 * </pre>
 * A guesser who knows an instance's tag still has 48 random bits to hit (16 in the process id,
 * 32 in the secret). The tag is a stable hash, so every instance computes every sibling's tag from
 * its id alone, with no shared state; two ids may share a tag (1 in 32768 per pair), which
 * {@code cluster.peers} refuses and DNS-discovered peers handle by fanning out (see
 * {@link Siblings}).
 */
public record InstanceTag(int value) {
    public static final int BITS = 15;
    private static final int MASK = (1 << BITS) - 1;
    private static final int SHIFT = 16;

    public InstanceTag {
        if ((value & ~MASK) != 0) {
            throw new IllegalArgumentException("instance tag out of range: " + value);
        }
    }

    /** The tag of an instance id (e.g. a Fly machine id or a host name). */
    public static InstanceTag of(String instanceId) {
        byte[] hash = sha256().digest(instanceId.getBytes(StandardCharsets.UTF_8));
        return new InstanceTag(((hash[0] & 0xff) << 8 | (hash[1] & 0xff)) & MASK);
    }

    /** The tag a client-facing process id carries. */
    public static InstanceTag ofProcessId(int processId) {
        return new InstanceTag((processId >>> SHIFT) & MASK);
    }

    /** A process id carrying this tag; only the low 16 bits of {@code randomBits} are used. */
    public int processId(int randomBits) {
        return value << SHIFT | (randomBits & 0xffff);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return String.format("tag-%04x", value);
    }
}
