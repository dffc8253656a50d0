package dev.meridian.proxy.session;

import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.proxy.cluster.ForwardedCancel;
import dev.meridian.proxy.cluster.InstanceTag;
import java.util.Optional;

/**
 * Where a CancelRequest goes: to the backend of a session of ours, to the sibling instance that
 * issued its key, or nowhere (an unknown key is dropped without a word, as PostgreSQL does).
 *
 * <pre>
 * key is ours (client's or forwarded)           → Local: the backend, with the backend's key
 * forwarded by a sibling, not ours              → Drop (one hop only: the loop guard)
 * not a Meridian key (secret not 4 bytes)       → Drop
 * tag is this instance's, key unknown           → Drop (session over, or a guess)
 * tag of another instance                       → Forward, marked, to the instance(s) with that tag
 * </pre>
 */
sealed interface CancelRoute {
    record Local(CancelRegistry.Target target) implements CancelRoute {
    }

    record Forward(InstanceTag tag, CancelRequest marked) implements CancelRoute {
    }

    record Drop(String reason) implements CancelRoute {
    }

    static CancelRoute of(CancelRequest request, CancelRegistry registry) {
        Optional<CancelRequest> forwarded = ForwardedCancel.unmark(request);
        CancelRequest key = forwarded.orElse(request);
        Optional<CancelRegistry.Target> target = registry.find(key);
        if (target.isPresent() && target.get().backendKey() == null) {
            return new Drop("no query running (transaction pooling, between transactions)");
        }
        if (target.isPresent()) {
            return new Local(target.get());
        }
        if (forwarded.isPresent()) {
            return new Drop("forwarded by a sibling, unknown here");
        }
        if (!ForwardedCancel.isMeridianKey(key)) {
            return new Drop("not a key Meridian issues");
        }
        InstanceTag tag = InstanceTag.ofProcessId(key.processId());
        if (tag.equals(registry.tag())) {
            return new Drop("unknown key");
        }
        return new Forward(tag, ForwardedCancel.mark(key));
    }
}
