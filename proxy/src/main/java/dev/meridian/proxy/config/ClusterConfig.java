package dev.meridian.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * This instance's identity among its siblings, and where the siblings are, so that a cancel
 * request for a session on another instance can be forwarded to it.
 *
 * @param instance  this instance's id ({@code cluster.instance}; default $FLY_MACHINE_ID, else
 *                  the host name); its hash tags every cancel key this instance hands out
 * @param peers     static siblings, without this instance itself
 * @param peersDns  a Fly TXT name {@code vms.<app>.internal} listing the app's machines, or null
 */
public record ClusterConfig(String instance, List<Peer> peers, String peersDns) {

    /** A sibling instance: its id and its client listen address. */
    public record Peer(String instance, String host, int port) {
        public Peer {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(host, "host");
        }
    }

    public ClusterConfig {
        Objects.requireNonNull(instance, "instance");
        peers = List.copyOf(peers);
    }

    /** No siblings: cancels for other instances' keys are dropped. */
    public static ClusterConfig standalone(String instance) {
        return new ClusterConfig(instance, List.of(), null);
    }

    /** Whether any sibling can be found: static peers or a DNS name. */
    public boolean hasSiblings() {
        return !peers.isEmpty() || peersDns != null;
    }
}
