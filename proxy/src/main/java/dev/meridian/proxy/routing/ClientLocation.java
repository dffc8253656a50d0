package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.Coordinates;
import java.util.Objects;

/**
 * Where a client is taken to be (DESIGN.md routing rule 4) and how that was found.
 *
 * @param region      the known region nearest to the client: the region itself when the location
 *                    came from a region code, else the nearest one; it is the {@code client_region}
 *                    metric label, so it stays within the configured region codes
 * @param coordinates the point distances are measured from
 * @param source      which step of the lookup chain answered
 * @param detail      human-readable evidence: the matching CIDR, the mmdb place, or why the
 *                    earlier steps did not answer
 */
public record ClientLocation(String region, Coordinates coordinates, Source source, String detail) {

    public enum Source {
        NETWORKS("geo.networks"),
        MMDB("geo.mmdb"),
        INSTANCE_REGION("this instance's region"),
        PINNED("meridian.region option");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ClientLocation {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(coordinates, "coordinates");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return region + " via " + source.label() + " (" + detail + ")";
    }
}
