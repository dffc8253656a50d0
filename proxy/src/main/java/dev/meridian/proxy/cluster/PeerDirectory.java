package dev.meridian.proxy.cluster;

import dev.meridian.proxy.config.ClusterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which siblings carry a given cancel-key tag: the static {@code cluster.peers}, then the machines
 * of {@code cluster.peers_dns} (this instance left out). The DNS answer, or its failure, is kept
 * for {@link #TTL}, so a burst of cancels costs one lookup; a failure is logged once (and again
 * only after the name has resolved in between). Blocking: used from {@link Siblings}' own thread.
 */
final class PeerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);
    static final Duration TTL = Duration.ofSeconds(10);

    /** A TXT lookup, as {@link FlyDns#txtRecords}. */
    interface TxtLookup {
        List<String> txt(String name) throws Exception;
    }

    private record Resolution(String name, List<FlyDns.Machine> machines, long expiresAt, boolean failed) {
    }

    private final TxtLookup lookup;
    private final LongSupplier nanoClock;
    private Resolution last;

    PeerDirectory(TxtLookup lookup, LongSupplier nanoClock) {
        this.lookup = lookup;
        this.nanoClock = nanoClock;
    }

    /** The siblings whose id hashes to {@code tag}; DNS peers listen on {@code dnsPeerPort}. */
    synchronized List<ClusterConfig.Peer> withTag(ClusterConfig cluster, int dnsPeerPort, InstanceTag tag) {
        List<ClusterConfig.Peer> peers = new ArrayList<>();
        for (ClusterConfig.Peer peer : cluster.peers()) {
            if (InstanceTag.of(peer.instance()).equals(tag)) {
                peers.add(peer);
            }
        }
        if (cluster.peersDns() != null) {
            for (FlyDns.Machine machine : machines(cluster.peersDns())) {
                boolean known = peers.stream().anyMatch(p -> p.instance().equals(machine.id()));
                if (!machine.id().equals(cluster.instance()) && !known && InstanceTag.of(machine.id()).equals(tag)) {
                    peers.add(new ClusterConfig.Peer(machine.id(), FlyDns.hostOf(cluster.peersDns(), machine.id()),
                            dnsPeerPort));
                }
            }
        }
        return peers;
    }

    private List<FlyDns.Machine> machines(String name) {
        long now = nanoClock.getAsLong();
        if (last != null && last.name().equals(name) && now - last.expiresAt() < 0) {
            return last.machines();
        }
        boolean failedBefore = last != null && last.name().equals(name) && last.failed();
        long expiresAt = now + TTL.toNanos();
        try {
            List<FlyDns.Machine> machines = FlyDns.parse(lookup.txt(name));
            if (failedBefore) {
                LOG.info("cluster.peers_dns: {} resolves again ({} machines)", name, machines.size());
            }
            LOG.debug("cluster.peers_dns: {} lists {}", name, machines);
            last = new Resolution(name, machines, expiresAt, false);
        } catch (Exception e) {
            if (failedBefore) {
                LOG.debug("cluster.peers_dns: looking up TXT {} failed again: {}", name, e.toString());
            } else {
                LOG.warn("cluster.peers_dns: looking up TXT {} failed: {}; cancel requests for sessions on other"
                        + " instances are dropped until it works", name, e.toString());
            }
            last = new Resolution(name, List.of(), expiresAt, true);
        }
        return last.machines();
    }
}
