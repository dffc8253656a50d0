package dev.meridian.proxy.routing;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Country;
import com.maxmind.geoip2.record.Location;
import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.Coordinates;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A MaxMind GeoIP2/GeoLite2 City or Country database, opened once per configuration (never per
 * session). City records give coordinates; Country records, and City records without a
 * location, are placed at the country's point from {@link CountryPoints}.
 *
 * <p>The file is memory-mapped (the reader's default): the OS page cache holds it, not the heap,
 * and a reload simply drops the old reader, which unmaps when collected. Update the file by
 * writing a new one and renaming it over the old (as {@code geoipupdate} does), never in place.
 */
public final class MaxMindGeocoder implements Geocoder {
    private final DatabaseReader reader;
    private final boolean city;

    private MaxMindGeocoder(DatabaseReader reader, boolean city) {
        this.reader = reader;
        this.city = city;
    }

    /** Opens {@code file}; a ConfigException under {@code geo.mmdb} if it is not a usable database. */
    public static MaxMindGeocoder open(Path file) {
        DatabaseReader reader;
        try {
            reader = new DatabaseReader.Builder(file.toFile()).build();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("geo.mmdb: " + file + " is not a readable MaxMind database (" + e.getMessage() + ")");
        }
        String type = reader.metadata().databaseType();
        if (type.contains("City")) {
            return new MaxMindGeocoder(reader, true);
        }
        if (type.contains("Country")) {
            return new MaxMindGeocoder(reader, false);
        }
        throw new ConfigException("geo.mmdb: " + file + " is a " + type
                + " database; use a GeoIP2/GeoLite2 City or Country database");
    }

    /** {@code true} for a City database, {@code false} for a Country one. */
    public boolean isCity() {
        return city;
    }

    @Override
    public Optional<Place> locate(InetAddress address) throws IOException {
        try {
            if (city) {
                return reader.tryCity(address).flatMap(MaxMindGeocoder::cityPlace);
            }
            return reader.tryCountry(address).flatMap(r -> countryPlace(r.country()));
        } catch (GeoIp2Exception e) {
            throw new IOException("geo.mmdb lookup failed: " + e.getMessage(), e);
        }
    }

    private static Optional<Place> cityPlace(CityResponse r) {
        Location at = r.location();
        if (at == null || at.latitude() == null || at.longitude() == null) {
            return countryPlace(r.country());
        }
        String city = r.city() == null ? null : r.city().name();
        String iso = r.country() == null ? null : r.country().isoCode();
        String name = city == null ? (iso == null ? "unnamed place" : iso) : (iso == null ? city : city + ", " + iso);
        Coordinates c = new Coordinates(at.latitude(), at.longitude());
        return Optional.of(new Place(c, name + " " + Distances.format(c)));
    }

    private static Optional<Place> countryPlace(Country country) {
        String iso = country == null ? null : country.isoCode();
        return CountryPoints.of(iso).map(p -> new Place(p.coordinates(),
                iso + ", placed at " + p.place() + " " + Distances.format(p.coordinates())));
    }
}
