package dev.meridian.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meridian.proxy.config.ClusterConfig;
import dev.meridian.proxy.config.ClusterConfig.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Which siblings a cancel key's tag names: static peers, then Fly's machine list (cached, failures logged once). */
class PeerDirectoryTest {
    private static final String VMS = "vms.meridian.internal";
    /** "m1" and "m86652" hash to the same tag. */
    private static final InstanceTag M1 = InstanceTag.of("m1");

    private final AtomicInteger lookups = new AtomicInteger();
    private final List<String> answer = new ArrayList<>(List.of("\"self iad,m1 lhr,m86652 sin,m2 sfo\""));
    private RuntimeException failure;
    private long now;
    private final PeerDirectory directory = new PeerDirectory(name -> {
        lookups.incrementAndGet();
        assertThat(name).isEqualTo(VMS);
        if (failure != null) {
            throw failure;
        }
        return answer;
    }, () -> now);

    private final Logger logger = (Logger) LoggerFactory.getLogger(PeerDirectory.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(log);
    }

    @Test
    void staticPeersAreChosenByTag() {
        ClusterConfig cluster = new ClusterConfig("self", List.of(new Peer("m1", "10.0.0.1", 5432),
                new Peer("m2", "10.0.0.2", 5432)), null);

        assertThat(directory.withTag(cluster, 5432, M1)).containsExactly(new Peer("m1", "10.0.0.1", 5432));
        assertThat(directory.withTag(cluster, 5432, InstanceTag.of("m3"))).isEmpty();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void dnsPeersAnswerUnderVmOfTheAppOnTheListenPortAndAllWithTheTagAreTried() {
        ClusterConfig cluster = new ClusterConfig("self", List.of(), VMS);

        assertThat(directory.withTag(cluster, 5432, M1)).containsExactly(
                new Peer("m1", "m1.vm.meridian.internal", 5432), new Peer("m86652", "m86652.vm.meridian.internal", 5432));
        assertThat(directory.withTag(cluster, 5432, InstanceTag.of("m2")))
                .containsExactly(new Peer("m2", "m2.vm.meridian.internal", 5432));
    }

    @Test
    void thisInstanceIsNeverItsOwnPeer() {
        assertThat(directory.withTag(new ClusterConfig("self", List.of(), VMS), 5432, InstanceTag.of("self"))).isEmpty();
    }

    @Test
    void aStaticEntryWinsOverTheSameMachineFromDns() {
        ClusterConfig cluster = new ClusterConfig("self", List.of(new Peer("m2", "10.0.0.2", 6543)), VMS);

        assertThat(directory.withTag(cluster, 5432, InstanceTag.of("m2"))).containsExactly(new Peer("m2", "10.0.0.2", 6543));
    }

    @Test
    void theMachineListIsKeptForTenSeconds() {
        ClusterConfig cluster = new ClusterConfig("self", List.of(), VMS);
        directory.withTag(cluster, 5432, M1);
        answer.set(0, "\"self iad,m2 sfo\"");

        now += Duration.ofSeconds(9).toNanos();
        assertThat(directory.withTag(cluster, 5432, M1)).hasSize(2);
        assertThat(lookups).hasValue(1);

        now += Duration.ofSeconds(2).toNanos();
        assertThat(directory.withTag(cluster, 5432, M1)).isEmpty();
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aFailingLookupFindsNobodyAndIsLoggedOnceUntilItWorksAgain() {
        ClusterConfig cluster = new ClusterConfig("self", List.of(), VMS);
        failure = new IllegalStateException("SERVFAIL");

        assertThat(directory.withTag(cluster, 5432, M1)).isEmpty();
        assertThat(directory.withTag(cluster, 5432, M1)).isEmpty();
        now += PeerDirectory.TTL.toNanos();
        assertThat(directory.withTag(cluster, 5432, M1)).isEmpty();

        assertThat(lookups).as("failures are cached too").hasValue(2);
        assertThat(events(Level.WARN)).singleElement().asString()
                .contains("looking up TXT vms.meridian.internal failed").contains("SERVFAIL");

        failure = null;
        now += PeerDirectory.TTL.toNanos();
        assertThat(directory.withTag(cluster, 5432, M1)).hasSize(2);
        assertThat(events(Level.INFO)).singleElement().asString().contains("resolves again (4 machines)");

        failure = new IllegalStateException("SERVFAIL");
        now += PeerDirectory.TTL.toNanos();
        directory.withTag(cluster, 5432, M1);
        assertThat(events(Level.WARN)).hasSize(2);
    }

    private List<String> events(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
