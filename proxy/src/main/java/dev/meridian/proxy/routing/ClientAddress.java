package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.IpText;
import java.net.InetAddress;
import java.util.Objects;

/** The address a client is located by, and where Meridian learned it (for explanations). */
public record ClientAddress(InetAddress address, Origin origin) {

    public enum Origin {
        /** The source address a load balancer reported in a PROXY protocol header. */
        PROXY_HEADER("PROXY protocol header"),
        /** The TCP peer itself: no PROXY header (protocol off, optional and absent, or LOCAL). */
        CONNECTION("connection peer"),
        /** An edge request's Fly-Client-IP / CF-Connecting-IP / X-Forwarded-For from {@code edge.trusted_proxies}. */
        FORWARDED_HEADER("forwarding header of a trusted proxy"),
        /** Given to {@code meridian route --client-ip}. */
        COMMAND_LINE("--client-ip");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ClientAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return text() + " (" + origin.label() + ")";
    }

    /** The address alone, IPv6 compressed as RFC 5952 writes it. */
    public String text() {
        return IpText.format(address.getAddress());
    }
}
