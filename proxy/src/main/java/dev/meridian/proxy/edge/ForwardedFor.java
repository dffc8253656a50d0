package dev.meridian.proxy.edge;

import dev.meridian.proxy.config.Cidr;
import dev.meridian.proxy.config.IpText;
import dev.meridian.proxy.routing.ClientAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Function;

/**
 * Where an edge request really comes from. Fly's proxy sets {@code Fly-Client-IP}, Cloudflare
 * {@code CF-Connecting-IP}, most others the first {@code X-Forwarded-For} entry; anyone can
 * send those headers, so they are believed only when the TCP peer is one of
 * {@code edge.trusted_proxies}. Otherwise, or when the header is not an IP address, the peer is
 * the client.
 */
final class ForwardedFor {
    static final List<String> HEADERS = List.of("Fly-Client-IP", "CF-Connecting-IP", "X-Forwarded-For");

    private ForwardedFor() {
    }

    /**
     * @param peer    the connection's peer address, or null when not IP
     * @param headers the request's header values by name (null when absent)
     */
    static ClientAddress locate(InetAddress peer, List<Cidr> trusted, Function<String, String> headers) {
        ClientAddress fromPeer = peer == null ? null : new ClientAddress(peer, ClientAddress.Origin.CONNECTION);
        if (peer == null || trusted.stream().noneMatch(c -> c.contains(peer))) {
            return fromPeer;
        }
        for (String name : HEADERS) {
            String value = headers.apply(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            String first = value.split(",", 2)[0].strip();
            InetAddress address = parse(first);
            if (address != null) {
                return new ClientAddress(address, ClientAddress.Origin.FORWARDED_HEADER);
            }
        }
        return fromPeer;
    }

    /** An IP literal only: a header must never make Meridian resolve a host name. */
    private static InetAddress parse(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        byte[] raw = IpText.parse(bare);
        if (raw == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
