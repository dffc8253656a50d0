package dev.meridian.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * Where clients connect. {@code proxyProtocolFrom}: the peers whose PROXY protocol header is
 * believed; empty when {@code listen.proxy_protocol_from} is not set (see
 * {@link #proxyHeaderPeers()} for what that means). {@code transactionPort} (null = none) is a
 * second port on the same host where every session is transaction-pooled.
 */
public record ListenConfig(String host, int port, ProxyProtocol proxyProtocol, List<Cidr> proxyProtocolFrom,
        Integer transactionPort) {

    public static final ListenConfig DEFAULT = new ListenConfig("0.0.0.0", 5432, ProxyProtocol.OFF);

    /**
     * Without {@code proxy_protocol_from}: with {@code optional}, clients reach the port
     * directly, so only loopback and private networks (where load balancers live: Fly's 6PN is
     * inside {@code fc00::/7}) are believed; with {@code required}, every connection comes
     * through the load balancer (or it could not connect at all), so every peer is.
     */
    public static final List<Cidr> PRIVATE_NETWORKS = List.of(
            Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"), Cidr.parse("10.0.0.0/8"),
            Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"), Cidr.parse("fc00::/7"));
    public static final List<Cidr> EVERY_PEER = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));

    public ListenConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        proxyProtocolFrom = List.copyOf(proxyProtocolFrom);
    }

    /** Without {@code proxy_protocol_from} and without a transaction port. */
    public ListenConfig(String host, int port, ProxyProtocol proxyProtocol) {
        this(host, port, proxyProtocol, List.of(), null);
    }

    /** Without a transaction port. */
    public ListenConfig(String host, int port, ProxyProtocol proxyProtocol, List<Cidr> proxyProtocolFrom) {
        this(host, port, proxyProtocol, proxyProtocolFrom, null);
    }

    /** Without {@code proxy_protocol_from}. */
    public ListenConfig(String host, int port, ProxyProtocol proxyProtocol, Integer transactionPort) {
        this(host, port, proxyProtocol, List.of(), transactionPort);
    }

    /** The peers whose PROXY header is believed: the configured list, else the mode's default. */
    public List<Cidr> proxyHeaderPeers() {
        if (!proxyProtocolFrom.isEmpty()) {
            return proxyProtocolFrom;
        }
        return proxyProtocol == ProxyProtocol.REQUIRED ? EVERY_PEER : PRIVATE_NETWORKS;
    }
}
