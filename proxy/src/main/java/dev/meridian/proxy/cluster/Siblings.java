package dev.meridian.proxy.cluster;

import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.proxy.config.ClusterConfig;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.ProxyProtocol;
import dev.meridian.proxy.server.Transport;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a cancel whose key another instance issued to that instance (every sibling whose id
 * carries the key's tag; normally one, and one more only when two discovered machine ids share a
 * tag: a cancel for a key the receiver does not know is harmless). A discovered machine whose id
 * shares this instance's own tag cannot be reached this way: cancels for its sessions that land
 * here are dropped, like unknown keys (1 chance in 32768 per pair). The sibling list and DNS names
 * are read from the configuration in force, so a reload changes them.
 *
 * <p>Finding peers and resolving their names blocks, so it runs on one thread of its own, never on
 * an event loop, behind a short queue: a flood of cancels with made-up keys is dropped there
 * instead of piling up. The connection itself is made on the client's event loop.
 */
public final class Siblings {
    private static final Logger LOG = LoggerFactory.getLogger(Siblings.class);
    private static final int QUEUE = 256;

    private final Supplier<MeridianConfig> config;
    private final PeerDirectory directory;
    private final CancelForwarder forwarder;
    private final ThreadPoolExecutor executor;

    Siblings(Supplier<MeridianConfig> config, Transport transport, PeerDirectory.TxtLookup dns) {
        this.config = config;
        this.directory = new PeerDirectory(dns, System::nanoTime);
        this.forwarder = new CancelForwarder(transport);
        // One thread, started on demand and gone when idle: most processes never forward a cancel.
        this.executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                new DefaultThreadFactory("meridian-siblings", true));
        executor.allowCoreThreadTimeOut(true);
    }

    /** Siblings found through the system's DNS resolvers. */
    public static Siblings create(Supplier<MeridianConfig> config, Transport transport) {
        return new Siblings(config, transport, name -> FlyDns.txtRecords(name, FlyDns.SYSTEM_DNS));
    }

    /**
     * Sends {@code marked} (a {@link ForwardedCancel}) to the siblings whose id carries {@code tag};
     * drops it when there are none. Returns at once.
     */
    public void forward(EventLoop loop, InstanceTag tag, CancelRequest marked) {
        MeridianConfig current = config.get();
        if (!current.cluster().hasSiblings()) {
            LOG.debug("cancel for {} dropped: no cluster.peers or cluster.peers_dns", tag);
            return;
        }
        try {
            executor.execute(() -> forwardNow(loop, current, tag, marked));
        } catch (RejectedExecutionException e) {
            LOG.debug("cancel for {} dropped: {} forwards already waiting", tag, QUEUE);
        }
    }

    private void forwardNow(EventLoop loop, MeridianConfig current, InstanceTag tag, CancelRequest marked) {
        try {
            ClusterConfig cluster = current.cluster();
            List<ClusterConfig.Peer> peers = directory.withTag(cluster, current.listen().port(), tag);
            if (peers.isEmpty()) {
                LOG.debug("cancel for {} dropped: no sibling carries that tag", tag);
            }
            boolean proxyHeader = current.listen().proxyProtocol() == ProxyProtocol.REQUIRED;
            for (ClusterConfig.Peer peer : peers) {
                InetSocketAddress address = new InetSocketAddress(peer.host(), peer.port()); // resolves here
                if (address.isUnresolved()) {
                    LOG.debug("cancel to instance {} dropped: {} does not resolve", peer.instance(), peer.host());
                } else {
                    forwarder.send(loop, peer.instance(), address, marked, proxyHeader);
                }
            }
        } catch (RuntimeException e) {
            // e.g. the event loop is shutting down: a lost cancel, never a lost thread
            LOG.debug("cancel for {} dropped: {}", tag, e.toString());
        }
    }
}
