package dev.meridian.proxy.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Binds {@code regions:} (merged over the built-in Fly regions) and the top-level {@code region}.
 * Also answers "is this a region?" for the other binders, counting regions whose coordinates were
 * wrong, so that one bad {@code lat} does not cascade into "unknown region" everywhere.
 */
final class RegionBinder {

    /** Lower case like Fly's codes; no '*' or '.', so a code can never look like a glob or path. */
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** Words that {@code prefer:} gives a meaning of its own. */
    private static final Set<String> RESERVED = Set.of("nearest", "local");

    private final Map<String, Coordinates> regions = new TreeMap<>(FlyRegions.all());
    private final Set<String> known = new HashSet<>(FlyRegions.all().keySet());

    RegionBinder(Node node) {
        if (!node.expectMap()) {
            return;
        }
        for (Map.Entry<String, Node> entry : node.entries()) {
            String code = entry.getKey();
            Node value = entry.getValue();
            known.add(code);
            if (!CODE.matcher(code).matches()) {
                value.problem("region codes are 1 to 32 lower-case letters, digits, - or _");
            } else if (RESERVED.contains(code)) {
                value.problem(KeyPath.quote(code) + " is reserved (it is a prefer: keyword)");
            }
            Fields f = Fields.required(value, "lat", "lon");
            Double lat = f.decimal("lat", -90, 90);
            Double lon = f.decimal("lon", -180, 180);
            if (lat != null && lon != null) {
                regions.put(code, new Coordinates(lat, lon));
            }
        }
    }

    Map<String, Coordinates> regions() {
        return regions;
    }

    /** Reports an unknown region against {@code node}; true when known. */
    boolean check(Node node, String code) {
        if (known.contains(code)) {
            return true;
        }
        node.problem("unknown region " + KeyPath.quote(code)
                + " (not a built-in Fly.io region; define it under regions:)");
        return false;
    }

    /** The top-level {@code region}; falls back to $FLY_REGION, which Fly sets on every machine. */
    String localRegion(Fields top) {
        Node node = top.node("region");
        String region;
        if (node.isAbsent()) {
            region = node.context().env("FLY_REGION");
            if (region == null || region.isEmpty()) {
                node.problem("is required (or set FLY_REGION)");
                return null;
            }
        } else {
            region = top.requiredString("region");
            if (region == null) {
                return null;
            }
        }
        return check(node, region) ? region : null;
    }
}
