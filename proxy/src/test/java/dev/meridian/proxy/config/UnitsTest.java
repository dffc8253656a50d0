package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} = {1}ms")
    @CsvSource({
        "500ms, 500", "0ms, 0", "2s, 2000", "5m, 300000", "1h, 3600000", "1d, 86400000",
        "10, 10000", "0, 0", "90s, 90000"
    })
    void parsesDurations(String text, long millis) {
        assertThat(Units.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "s", "1.5s", "-1s", "+1s", "2 s", " 2s", "2S", "2M", "2min", "2sec",
        "1w", "2s ", "0x10", "1e3", "١s"})
    void rejectsMalformedDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(KeyPath.quote(text) + " is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"999999999999999999d", "999999999999999999s"})
    void rejectsOverflowingDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).hasMessage("\"" + text + "\" is too large");
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "1024B, 1024", "1024b, 1024", "1024, 1024", "64kB, 65536", "64KB, 65536", "64kb, 65536",
        "512MB, 536870912", "1GB, 1073741824", "1gb, 1073741824", "2TB, 2199023255552", "0, 0"
    })
    void parsesSizes(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "GB", "1.5GB", "-1", "1 GB", "1KiB", "1G", "1PB", "1XB", "0x400"})
    void rejectsMalformedSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(KeyPath.quote(text) + " is not a size (use e.g. 1024B, 64kB, 512MB, 1GB)");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"99999999999TB", "999999999999999999GB"})
    void rejectsOverflowingSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).hasMessage("\"" + text + "\" is too large");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2s, 2000", "500ms, 500", "1500ms, 1500", "5m, 300000", "1h, 3600000", "2d, 172800000",
        "0ms, 0"})
    void formatsDurationsExactly(String expected, long millis) {
        assertThat(Units.formatDuration(Duration.ofMillis(millis))).isEqualTo(expected);
        assertThat(Units.parseDuration(expected)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1GB, 1073741824", "64kB, 65536", "1000B, 1000", "1536kB, 1572864", "0B, 0"})
    void formatsSizesExactly(String expected, long bytes) {
        assertThat(Units.formatSize(bytes)).isEqualTo(expected);
        assertThat(Units.parseSize(expected)).isEqualTo(bytes);
    }
}
