package dev.meridian.proxy.cli;

import dev.meridian.proxy.config.Units;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line read like the configuration's: 500ms, 30s, 2m. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Units.parseDuration(value);
    }
}
