package dev.meridian.proxy.cluster;

import dev.meridian.protocol.message.CancelRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a cancel travels from the instance that received it to the instance that issued the key:
 * the client's CancelRequest with a 4-byte mark after its 4-byte secret, so the secret is 8
 * bytes long (a length protocol 3.2 allows, and one Meridian never issues: it speaks 3.0 to
 * clients and so always hands out 4-byte secrets).
 *
 * <pre>
 *  Int32 20 | Int32 80877102 | Int32 process id | secret (4 bytes) | "MFWD"
 * </pre>
 *
 * The mark is the loop guard: an instance forwards only unmarked cancels, so a cancel crosses at
 * most one hop even when peer addresses are wrong (a peer entry pointing back at the sender, or
 * at a third instance that believes the same). Sending the mark directly gains a client nothing:
 * the owner looks up the same 4-byte key either way.
 */
public final class ForwardedCancel {
    private static final byte[] MARK = "MFWD".getBytes(StandardCharsets.US_ASCII);
    /** The secret length of every key Meridian hands out. */
    public static final int SECRET_LENGTH = 4;

    private ForwardedCancel() {}

    /** Whether {@code request} could carry a Meridian key (and so be worth forwarding): see {@link InstanceTag}. */
    public static boolean isMeridianKey(CancelRequest request) {
        return request.processId() >= 0 && request.secretKey().length == SECRET_LENGTH;
    }

    /** The request as sent to the owning sibling; {@code request} must carry a Meridian key. */
    public static CancelRequest mark(CancelRequest request) {
        byte[] secret = request.secretKey();
        if (secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("not a Meridian cancel key: " + request);
        }
        byte[] marked = Arrays.copyOf(secret, SECRET_LENGTH + MARK.length);
        System.arraycopy(MARK, 0, marked, SECRET_LENGTH, MARK.length);
        return new CancelRequest(request.processId(), marked);
    }

    /** The client's original request if {@code request} was forwarded by a sibling. */
    public static Optional<CancelRequest> unmark(CancelRequest request) {
        byte[] secret = request.secretKey();
        if (secret.length != SECRET_LENGTH + MARK.length
                || !Arrays.equals(secret, SECRET_LENGTH, secret.length, MARK, 0, MARK.length)) {
            return Optional.empty();
        }
        return Optional.of(new CancelRequest(request.processId(), Arrays.copyOf(secret, SECRET_LENGTH)));
    }
}
