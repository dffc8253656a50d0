package dev.meridian.proxy.config;

/** A point on Earth in decimal degrees, used to find the region nearest to a client. */
public record Coordinates(double lat, double lon) {

    private static final double EARTH_RADIUS_KM = 6371.0;

    public Coordinates {
        if (!(lat >= -90 && lat <= 90)) { // also rejects NaN
            throw new IllegalArgumentException("latitude must be between -90 and 90: " + lat);
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("longitude must be between -180 and 180: " + lon);
        }
    }

    /** Great-circle (haversine) distance; plenty precise for ranking regions. */
    public double distanceKm(Coordinates other) {
        double dLat = Math.toRadians(other.lat - lat);
        double dLon = Math.toRadians(other.lon - lon);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat)) * Math.cos(Math.toRadians(other.lat))
                        * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
