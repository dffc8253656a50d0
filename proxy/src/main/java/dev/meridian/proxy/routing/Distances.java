package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.Coordinates;
import java.util.Locale;
import java.util.Map;

/** Small helpers around great-circle distances: nearest region, and readable numbers. */
final class Distances {
    private Distances() {
    }

    /**
     * The code of the region nearest to {@code at}; ties go to the first code in map order
     * (the config's region map is sorted, so the answer is stable).
     */
    static String nearestRegion(Map<String, Coordinates> regions, Coordinates at) {
        String best = null;
        double bestKm = Double.MAX_VALUE;
        for (Map.Entry<String, Coordinates> e : regions.entrySet()) {
            double km = at.distanceKm(e.getValue());
            if (km < bestKm) {
                best = e.getKey();
                bestKm = km;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no regions");
        }
        return best;
    }

    static String format(Coordinates c) {
        return String.format(Locale.ROOT, "(%.2f, %.2f)", c.lat(), c.lon());
    }

    static String km(double km) {
        return String.format(Locale.ROOT, "%,.0f km", km);
    }
}
