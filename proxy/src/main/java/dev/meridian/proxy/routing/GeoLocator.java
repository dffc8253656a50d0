package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.Coordinates;
import dev.meridian.proxy.config.GeoConfig;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.NetworkRule;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a client is (DESIGN.md routing rule 4): {@code geo.networks} (most specific CIDR wins),
 * then {@code geo.mmdb}, then this instance's {@code region}. Built once per configuration; the
 * mmdb is opened here, never per session.
 */
public final class GeoLocator {
    private final Map<String, Coordinates> regions;
    private final String instanceRegion;
    private final GeoConfig geo;
    private final Geocoder mmdb;

    /** {@code mmdb} is null when no database is configured. */
    public GeoLocator(Map<String, Coordinates> regions, String instanceRegion, GeoConfig geo, Geocoder mmdb) {
        this.regions = Collections.unmodifiableMap(new TreeMap<>(regions)); // sorted: stable nearest-region ties
        this.instanceRegion = Objects.requireNonNull(instanceRegion, "instanceRegion");
        this.geo = Objects.requireNonNull(geo, "geo");
        this.mmdb = mmdb;
        coordinatesOf(instanceRegion);
    }

    /** Opens the configured mmdb, if any; a ConfigException ({@code geo.mmdb: ...}) if unusable. */
    public static GeoLocator open(MeridianConfig config) {
        Geocoder mmdb = config.geo().mmdb() == null ? null : MaxMindGeocoder.open(config.geo().mmdb());
        return new GeoLocator(config.regions(), config.region(), config.geo(), mmdb);
    }

    /** Locates {@code client}; null (nothing to go by) means this instance's region. */
    public ClientLocation locate(ClientAddress client) {
        if (client == null) {
            return instance("no client address");
        }
        InetAddress address = client.address();
        Optional<NetworkRule> network = geo.networkFor(address);
        if (network.isPresent()) {
            return atRegion(network.get().region(), ClientLocation.Source.NETWORKS,
                    client.text() + " in " + network.get().cidr());
        }
        if (mmdb == null) {
            return instance(client.text() + " is in no geo.networks entry and no geo.mmdb is configured");
        }
        try {
            Optional<Geocoder.Place> place = mmdb.locate(address);
            if (place.isPresent()) {
                Coordinates at = place.get().coordinates();
                String region = Distances.nearestRegion(regions, at);
                return new ClientLocation(region, at, ClientLocation.Source.MMDB, place.get().description());
            }
            return instance(client.text() + " is in neither geo.networks nor geo.mmdb");
        } catch (IOException e) {
            return instance(e.getMessage());
        }
    }

    /** The client asked for {@code region} with {@code meridian.region}; the caller checked the code. */
    public ClientLocation pinned(String region) {
        return atRegion(region, ClientLocation.Source.PINNED, "meridian.region=" + region);
    }

    /** Whether {@code code} is a known region (built-in or configured). */
    public boolean knows(String code) {
        return regions.containsKey(code);
    }

    public String instanceRegion() {
        return instanceRegion;
    }

    private ClientLocation instance(String why) {
        return atRegion(instanceRegion, ClientLocation.Source.INSTANCE_REGION, why);
    }

    private ClientLocation atRegion(String region, ClientLocation.Source source, String detail) {
        return new ClientLocation(region, coordinatesOf(region), source, detail);
    }

    private Coordinates coordinatesOf(String region) {
        Coordinates c = regions.get(region);
        if (c == null) {
            throw new IllegalArgumentException("unknown region " + region);
        }
        return c;
    }
}
