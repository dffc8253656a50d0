package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Binds {@code geo:}: the optional mmdb and the explicit network-to-region overrides. */
final class GeoBinder {

    private GeoBinder() {}

    static GeoConfig bind(Node node, RegionBinder regions) {
        if (node.isAbsent()) {
            return GeoConfig.NONE;
        }
        Fields f = Fields.of(node, "mmdb", "networks");
        Path mmdb = f.file("mmdb");
        List<NetworkRule> networks = new ArrayList<>();
        Node list = f.node("networks");
        if (list.expectList()) {
            Map<Cidr, String> pathByCidr = new HashMap<>();
            for (Node item : list.items()) {
                NetworkRule rule = network(item, regions, pathByCidr);
                if (rule != null) {
                    networks.add(rule);
                }
            }
        }
        return new GeoConfig(mmdb, networks);
    }

    private static NetworkRule network(Node item, RegionBinder regions, Map<Cidr, String> seen) {
        Fields f = Fields.required(item, "cidr", "region");
        Cidr cidr = cidr(f, seen);
        String region = f.requiredString("region");
        if (region != null && !regions.check(f.node("region"), region)) {
            region = null;
        }
        return cidr == null || region == null ? null : new NetworkRule(cidr, region);
    }

    private static Cidr cidr(Fields f, Map<Cidr, String> seen) {
        String text = f.requiredString("cidr");
        if (text == null) {
            return null;
        }
        try {
            Cidr cidr = Cidr.parse(text);
            String first = seen.putIfAbsent(cidr, f.path("cidr"));
            if (first != null) {
                f.problem("cidr", "duplicate network " + cidr + " (also " + first + ")");
            }
            return cidr;
        } catch (IllegalArgumentException e) {
            f.problem("cidr", "invalid CIDR " + KeyPath.quote(text) + ": " + e.getMessage());
            return null;
        }
    }
}
