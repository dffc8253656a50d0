package dev.meridian.proxy.session;

import dev.meridian.proxy.routing.ClientAddress;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The one place that knows where a client connection's real address is kept: the PROXY
 * protocol phase stores what the load balancer reported, and without one the TCP peer is the
 * client.
 */
public final class ClientAddresses {
    /** Set by {@link ProxyHeaderReader} when a PROXY header carried a TCP source address. */
    static final AttributeKey<ClientAddress> KEY = AttributeKey.valueOf(ClientAddresses.class, "clientAddress");

    private ClientAddresses() {
    }

    /** The client's address: from the PROXY header, else the connection's peer; null if neither is IP. */
    public static ClientAddress of(Channel ch) {
        ClientAddress reported = ch.attr(KEY).get();
        if (reported != null) {
            return reported;
        }
        SocketAddress peer = ch.remoteAddress();
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return new ClientAddress(inet.getAddress(), ClientAddress.Origin.CONNECTION);
        }
        return null;
    }

    static void record(Channel ch, ClientAddress address) {
        ch.attr(KEY).set(address);
    }
}
