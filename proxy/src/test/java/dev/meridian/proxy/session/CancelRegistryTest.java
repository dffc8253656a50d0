package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.proxy.cluster.ForwardedCancel;
import dev.meridian.proxy.cluster.InstanceTag;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Client-facing cancel keys: tagged with this instance, random otherwise, never reissued while in use. */
class CancelRegistryTest {
    private static final InstanceTag OURS = InstanceTag.of("meridian-a");
    private static final InstanceTag SIBLING = InstanceTag.of("meridian-b");
    private static final BackendConfig BACKEND = new BackendConfig("iad-1", "iad", "127.0.0.1", 5432,
            BackendRole.PRIMARY, null, null, BackendTls.DEFAULT);
    private static final CancelRegistry.Target TARGET =
            new CancelRegistry.Target(BACKEND, new BackendKeyData(4242, new byte[] {9, 9, 9, 9}));

    private final CancelRegistry registry = new CancelRegistry(OURS);

    @Test
    void everyKeyNamesThisInstanceAndMapsToItsBackendKey() {
        BackendKeyData key = registry.register(TARGET);

        assertThat(InstanceTag.ofProcessId(key.processId())).isEqualTo(OURS);
        assertThat(key.processId()).isNotNegative();
        assertThat(key.secretKey()).hasSize(4);
        assertThat(registry.find(key.toCancelRequest())).contains(TARGET);
    }

    @Test
    void keysAreRandomInTheirLow16PidBitsAndTheirSecret() {
        Set<Integer> pidBits = new HashSet<>();
        Set<Integer> secrets = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            BackendKeyData key = registry.register(TARGET);
            pidBits.add(key.processId() & 0xffff);
            secrets.add(java.nio.ByteBuffer.wrap(key.secretKey()).getInt());
        }
        // 2000 draws: from 65536 values about 30 repeats, from 2^32 almost surely none.
        assertThat(pidBits).hasSizeGreaterThan(1900);
        assertThat(secrets).hasSizeGreaterThan(1995);
    }

    @Test
    void aKeyStillInUseIsNeverIssuedAgain() {
        // A "random" source whose first two keys are equal (each key takes two draws): the second
        // register must draw again.
        CancelRegistry repeating = new CancelRegistry(OURS, new Random() {
            private int calls;

            @Override
            protected int next(int bits) {
                return calls++ < 4 ? 1 : calls;
            }
        });
        BackendKeyData first = repeating.register(TARGET);
        CancelRegistry.Target other = new CancelRegistry.Target(BACKEND, new BackendKeyData(7, new byte[] {7, 7, 7, 7}));

        BackendKeyData second = repeating.register(other);

        assertThat(second).isNotEqualTo(first);
        assertThat(repeating.find(first.toCancelRequest())).contains(TARGET);
        assertThat(repeating.find(second.toCancelRequest())).contains(other);
    }

    @Test
    void anUnregisteredKeyIsUnknown() {
        BackendKeyData key = registry.register(TARGET);
        registry.unregister(key);

        assertThat(registry.find(key.toCancelRequest())).isEmpty();
    }

    // ---- where a cancel goes ------------------------------------------------------------------

    @Test
    void ourKeyGoesToOurBackend() {
        BackendKeyData key = registry.register(TARGET);

        assertThat(CancelRoute.of(key.toCancelRequest(), registry)).isEqualTo(new CancelRoute.Local(TARGET));
    }

    @Test
    void ourKeyForwardedBySiblingGoesToOurBackend() {
        BackendKeyData key = registry.register(TARGET);

        assertThat(CancelRoute.of(ForwardedCancel.mark(key.toCancelRequest()), registry))
                .isEqualTo(new CancelRoute.Local(TARGET));
    }

    @Test
    void aSiblingsKeyIsForwardedMarked() {
        CancelRequest theirs = new CancelRequest(SIBLING.processId(0x1234), new byte[] {1, 2, 3, 4});

        assertThat(CancelRoute.of(theirs, registry))
                .isEqualTo(new CancelRoute.Forward(SIBLING, ForwardedCancel.mark(theirs)));
    }

    @Test
    void aForwardedCancelIsNeverForwardedAgain() {
        CancelRequest theirs = new CancelRequest(SIBLING.processId(0x1234), new byte[] {1, 2, 3, 4});

        assertThat(CancelRoute.of(ForwardedCancel.mark(theirs), registry)).isInstanceOf(CancelRoute.Drop.class);
    }

    @Test
    void anUnknownKeyWithOurTagIsDropped() {
        registry.register(TARGET);

        assertThat(CancelRoute.of(new CancelRequest(OURS.processId(1), new byte[] {1, 2, 3, 4}), registry))
                .isEqualTo(new CancelRoute.Drop("unknown key"));
    }

    @Test
    void keysMeridianNeverIssuesAreDropped() {
        assertThat(CancelRoute.of(new CancelRequest(SIBLING.processId(1), new byte[32]), registry))
                .isEqualTo(new CancelRoute.Drop("not a key Meridian issues"));
        assertThat(CancelRoute.of(new CancelRequest(-1, new byte[4]), registry))
                .isEqualTo(new CancelRoute.Drop("not a key Meridian issues"));
    }
}
