package dev.meridian.proxy.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How client addresses become locations: explicit networks first, then the optional mmdb. */
public record GeoConfig(Path mmdb, List<NetworkRule> networks) {

    public static final GeoConfig NONE = new GeoConfig(null, List.of());

    public GeoConfig {
        networks = List.copyOf(networks);
    }

    /**
     * The region of the most specific network containing {@code address}, if any; on a tie
     * (only possible across families, e.g. 10.0.0.0/8 and ::ffff:10.0.0.0/104) the first wins.
     */
    public Optional<String> regionFor(InetAddress address) {
        return networkFor(address).map(NetworkRule::region);
    }

    /** The most specific network containing {@code address}, as {@link #regionFor} chooses it. */
    public Optional<NetworkRule> networkFor(InetAddress address) {
        NetworkRule best = null;
        for (NetworkRule rule : networks) {
            boolean moreSpecific = best == null
                    || rule.cidr().mappedPrefixLength() > best.cidr().mappedPrefixLength();
            if (moreSpecific && rule.cidr().contains(address)) {
                best = rule;
            }
        }
        return Optional.ofNullable(best);
    }
}
