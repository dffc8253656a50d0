package dev.meridian.proxy.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Fly.io region codes known to this build, located at the airport each is named after
 * (two decimals, about 1 km, is far finer than nearest-region routing needs). Fly adds and
 * retires regions; {@code regions:} in the config adds or overrides codes without a new build.
 */
public final class FlyRegions {

    private static final Map<String, Coordinates> ALL = build();

    private FlyRegions() {}

    /** Code to coordinates, sorted by code. */
    public static Map<String, Coordinates> all() {
        return ALL;
    }

    public static boolean contains(String code) {
        return ALL.containsKey(code);
    }

    private static Map<String, Coordinates> build() {
        Map<String, Coordinates> m = new TreeMap<>();
        m.put("ams", new Coordinates(52.31, 4.76)); // Amsterdam Schiphol
        m.put("arn", new Coordinates(59.65, 17.92)); // Stockholm Arlanda
        m.put("atl", new Coordinates(33.64, -84.43)); // Atlanta
        m.put("bog", new Coordinates(4.70, -74.15)); // Bogota El Dorado
        m.put("bom", new Coordinates(19.09, 72.87)); // Mumbai
        m.put("bos", new Coordinates(42.36, -71.01)); // Boston Logan
        m.put("cdg", new Coordinates(49.01, 2.55)); // Paris Charles de Gaulle
        m.put("den", new Coordinates(39.86, -104.67)); // Denver
        m.put("dfw", new Coordinates(32.90, -97.04)); // Dallas/Fort Worth
        m.put("ewr", new Coordinates(40.69, -74.17)); // Newark
        m.put("eze", new Coordinates(-34.82, -58.54)); // Buenos Aires Ezeiza
        m.put("fra", new Coordinates(50.03, 8.56)); // Frankfurt
        m.put("gdl", new Coordinates(20.52, -103.31)); // Guadalajara
        m.put("gig", new Coordinates(-22.81, -43.25)); // Rio de Janeiro Galeao
        m.put("gru", new Coordinates(-23.43, -46.47)); // Sao Paulo Guarulhos
        m.put("hkg", new Coordinates(22.31, 113.91)); // Hong Kong
        m.put("iad", new Coordinates(38.94, -77.46)); // Washington Dulles
        m.put("jnb", new Coordinates(-26.14, 28.25)); // Johannesburg
        m.put("lax", new Coordinates(33.94, -118.41)); // Los Angeles
        m.put("lhr", new Coordinates(51.47, -0.45)); // London Heathrow
        m.put("mad", new Coordinates(40.47, -3.56)); // Madrid Barajas
        m.put("mia", new Coordinates(25.80, -80.29)); // Miami
        m.put("nrt", new Coordinates(35.77, 140.39)); // Tokyo Narita
        m.put("ord", new Coordinates(41.97, -87.91)); // Chicago O'Hare
        m.put("otp", new Coordinates(44.57, 26.09)); // Bucharest Otopeni
        m.put("phx", new Coordinates(33.43, -112.01)); // Phoenix Sky Harbor
        m.put("qro", new Coordinates(20.62, -100.19)); // Queretaro
        m.put("scl", new Coordinates(-33.39, -70.79)); // Santiago
        m.put("sea", new Coordinates(47.45, -122.31)); // Seattle-Tacoma
        m.put("sfo", new Coordinates(37.62, -122.38)); // San Francisco
        m.put("sin", new Coordinates(1.36, 103.99)); // Singapore Changi
        m.put("sjc", new Coordinates(37.36, -121.93)); // San Jose
        m.put("syd", new Coordinates(-33.95, 151.18)); // Sydney
        m.put("waw", new Coordinates(52.17, 20.97)); // Warsaw Chopin
        m.put("yul", new Coordinates(45.47, -73.74)); // Montreal Trudeau
        m.put("yyz", new Coordinates(43.68, -79.63)); // Toronto Pearson
        return Collections.unmodifiableMap(m);
    }
}
