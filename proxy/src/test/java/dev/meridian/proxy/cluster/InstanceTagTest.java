package dev.meridian.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.message.CancelRequest;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cancel-key layout: a 15-bit instance tag in the process id, and the one-hop forwarding mark. */
class InstanceTagTest {

    @Test
    void theTagIsAStableHashOfTheInstanceId() {
        // The first two bytes of SHA-256, top bit dropped: every instance computes the same for a sibling.
        assertThat(InstanceTag.of("meridian-a")).isEqualTo(new InstanceTag(0x0789));
        assertThat(InstanceTag.of("meridian-b")).isEqualTo(new InstanceTag(0x50f8));
        assertThat(InstanceTag.of("1781973f6e0d89")).isEqualTo(InstanceTag.of("1781973f6e0d89"));
    }

    @Test
    void theTagSurvivesTheRoundTripThroughAProcessIdWhateverTheRandomBits() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            InstanceTag tag = new InstanceTag(random.nextInt(1 << InstanceTag.BITS));
            int pid = tag.processId(random.nextInt());

            assertThat(InstanceTag.ofProcessId(pid)).isEqualTo(tag);
            assertThat(pid).as("process ids stay positive, as PostgreSQL's").isNotNegative();
        }
    }

    @Test
    void theLow16BitsOfTheProcessIdAreTheRandomOnes() {
        InstanceTag tag = new InstanceTag(0x7fff);

        assertThat(tag.processId(0)).isEqualTo(0x7fff0000);
        assertThat(tag.processId(0xffffffff)).isEqualTo(0x7fffffff);
        assertThat(tag.processId(0x1234abcd)).isEqualTo(0x7fffabcd);
    }

    @Test
    void idsSpreadOverTheTagSpace() {
        Set<InstanceTag> tags = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tags.add(InstanceTag.of("machine-" + i));
        }
        // 1000 draws from 32768 values: about 15 collisions expected.
        assertThat(tags).hasSizeGreaterThan(950);
    }

    @Test
    void refusesTagsOutOfRange() {
        assertThatThrownBy(() -> new InstanceTag(1 << 15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InstanceTag(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMarkedCancelCarriesTheClientKeyAndIsRecognised() {
        CancelRequest client = new CancelRequest(0x07891234, new byte[] {1, 2, 3, 4});

        CancelRequest marked = ForwardedCancel.mark(client);

        assertThat(marked.processId()).isEqualTo(client.processId());
        assertThat(marked.secretKey()).containsExactly(1, 2, 3, 4, 'M', 'F', 'W', 'D');
        assertThat(ForwardedCancel.unmark(marked)).contains(client);
        assertThat(ForwardedCancel.unmark(client)).isEmpty();
    }

    @Test
    void onlyAnEightByteKeyEndingInTheMarkCountsAsForwarded() {
        assertThat(ForwardedCancel.unmark(new CancelRequest(1, new byte[] {1, 2, 3, 4, 'M', 'F', 'W', 'X'}))).isEmpty();
        assertThat(ForwardedCancel.unmark(new CancelRequest(1, new byte[] {1, 2, 3, 4, 5, 'M', 'F', 'W', 'D'})))
                .isEmpty();
        assertThat(ForwardedCancel.unmark(new CancelRequest(1, new byte[256]))).isEmpty();
    }

    @Test
    void onlyMeridianShapedKeysAreForwarded() {
        assertThat(ForwardedCancel.isMeridianKey(new CancelRequest(5, new byte[4]))).isTrue();
        assertThat(ForwardedCancel.isMeridianKey(new CancelRequest(-5, new byte[4]))).isFalse();
        assertThat(ForwardedCancel.isMeridianKey(new CancelRequest(5, new byte[32]))).isFalse();
        assertThatThrownBy(() -> ForwardedCancel.mark(new CancelRequest(5, new byte[32])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
