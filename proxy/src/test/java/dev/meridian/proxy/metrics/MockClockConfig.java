package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.simple.SimpleConfig;

/** A simple registry configuration whose max does not decay within a test. */
final class MockClockConfig {
    static final SimpleConfig CONFIG = key -> null;

    private MockClockConfig() {
    }
}
