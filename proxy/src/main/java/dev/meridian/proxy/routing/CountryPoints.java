package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.Coordinates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A representative point per country, for MaxMind Country databases, which name a country but
 * carry no coordinates (nor do some City records). The point is the country's largest
 * metropolitan area, not its centroid or capital: that is where most of its clients are, e.g.
 * New York for US, Sao Paulo for BR, Sydney for AU. Coarse by design: a City database places
 * a Seattle client in Seattle, a Country database places it in New York.
 */
public final class CountryPoints {

    /** A country's point and the place it stands for. */
    public record Point(Coordinates coordinates, String place) {
    }

    private static final String RESOURCE = "country-points.tsv";
    private static final Map<String, Point> POINTS = load();

    private CountryPoints() {
    }

    /** The point for an ISO 3166-1 alpha-2 code such as {@code GB}; empty when unknown. */
    public static Optional<Point> of(String isoCode) {
        return isoCode == null ? Optional.empty() : Optional.ofNullable(POINTS.get(isoCode));
    }

    /** Every code in the table, sorted. */
    public static Map<String, Point> all() {
        return POINTS;
    }

    private static Map<String, Point> load() {
        try (InputStream in = CountryPoints.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            Map<String, Point> points = new TreeMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split("\t");
                    Coordinates at = new Coordinates(Double.parseDouble(f[1]), Double.parseDouble(f[2]));
                    points.put(f[0], new Point(at, f[3]));
                }
            }
            return Collections.unmodifiableMap(points);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
