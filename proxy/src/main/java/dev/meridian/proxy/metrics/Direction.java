package dev.meridian.proxy.metrics;

/** The {@code direction} of {@code meridian_bytes_total}. */
enum Direction {
    CLIENT_TO_BACKEND("client_to_backend"),
    BACKEND_TO_CLIENT("backend_to_client");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
