package dev.meridian.proxy.config;

import dev.meridian.proxy.cluster.InstanceTag;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Binds {@code cluster:}: this instance's id, its static peers and the Fly DNS name that lists
 * the others. One peer list can be shared by every instance: the entry naming this instance is
 * skipped. Two peers whose ids hash to the same cancel-key tag are refused, since a cancel could
 * not tell them apart.
 */
final class ClusterBinder {

    /** Fly's machine list is the TXT record {@code vms.<app>.internal}; machines are {@code <id>.vm.<app>.internal}. */
    private static final Pattern FLY_DNS = Pattern.compile("vms\\.[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.?");

    private ClusterBinder() {}

    static ClusterConfig bind(Node node, ListenConfig listen) {
        Fields f = Fields.of(node, "instance", "peers", "peers_dns");
        String instance = f.string("instance");
        if (instance == null) {
            instance = defaultInstance(node.context());
        }
        List<ClusterConfig.Peer> peers = peers(f.node("peers"), instance, listen.port());
        String dns = f.string("peers_dns");
        if (dns != null && !FLY_DNS.matcher(dns).matches()) {
            f.problem("peers_dns", "must be a Fly name like vms.<app>.internal, not " + KeyPath.quote(dns));
            dns = null;
        }
        return new ClusterConfig(instance, peers, dns);
    }

    private static List<ClusterConfig.Peer> peers(Node list, String self, int defaultPort) {
        List<ClusterConfig.Peer> peers = new ArrayList<>();
        if (!list.expectList()) {
            return peers;
        }
        Map<String, String> pathById = new HashMap<>();
        Map<InstanceTag, String> idByTag = new HashMap<>();
        idByTag.put(InstanceTag.of(self), self);
        for (Node item : list.items()) {
            Fields f = Fields.required(item, "instance", "host", "port");
            String id = f.requiredString("instance");
            String host = f.requiredString("host");
            int port = f.integer("port", defaultPort, 1, 65535);
            if (id == null || !unique(f, id, pathById) || id.equals(self)) {
                continue; // this instance's own entry: a shared list names every instance
            }
            String other = idByTag.putIfAbsent(InstanceTag.of(id), id);
            if (other != null) {
                f.problem("instance", KeyPath.quote(id) + " has the same cancel-key tag as " + KeyPath.quote(other)
                        + (other.equals(self) ? " (this instance)" : "")
                        + ": a cancel could not tell them apart; rename one");
            } else if (host != null) {
                peers.add(new ClusterConfig.Peer(id, host, port));
            }
        }
        return peers;
    }

    private static boolean unique(Fields f, String id, Map<String, String> pathById) {
        String first = pathById.putIfAbsent(id, f.path("instance"));
        if (first != null) {
            f.problem("instance", "duplicate instance " + KeyPath.quote(id) + " (also " + first + ")");
        }
        return first == null;
    }

    /** $FLY_MACHINE_ID (Fly sets it on every machine), else $HOSTNAME, else the system's host name. */
    private static String defaultInstance(LoadContext context) {
        for (String name : List.of("FLY_MACHINE_ID", "HOSTNAME")) {
            String value = context.env(name);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        try {
            // The kernel's name needs no DNS, unlike InetAddress.getLocalHost().
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall through to the JDK's view
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
