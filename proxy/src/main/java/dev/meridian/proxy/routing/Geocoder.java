package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.Coordinates;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/** Turns an address into a place on Earth: the {@code geo.mmdb} step of the location chain. */
@FunctionalInterface
public interface Geocoder {

    /** A located address: where it is, and a description for explanations ("London, GB"). */
    record Place(Coordinates coordinates, String description) {
        public Place {
            Objects.requireNonNull(coordinates, "coordinates");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * The place of {@code address}; empty when the database does not know it (location unknown).
     *
     * @throws IOException when the database itself cannot be read
     */
    Optional<Place> locate(InetAddress address) throws IOException;
}
