package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartupOptionsTest {
    @Test
    void noOptionsForwardsNothing() {
        assertThat(StartupOptions.parse(null)).isEqualTo(new StartupOptions(Map.of(), null));
        assertThat(StartupOptions.parse("  ")).isEqualTo(new StartupOptions(Map.of(), null));
    }

    @Test
    void meridianSettingsAreTakenOutAndTheRestForwarded() {
        StartupOptions o = StartupOptions.parse("-c meridian.region=sin -c search_path=app --meridian.target=read-only -cwork_mem=64MB");
        assertThat(o.meridian()).containsExactly(Map.entry("region", "sin"), Map.entry("target", "read-only"));
        assertThat(o.forwarded()).isEqualTo("-c search_path=app -cwork_mem=64MB");
    }

    @Test
    void onlyMeridianSettingsLeaveNothingToForward() {
        StartupOptions o = StartupOptions.parse("-c meridian.region=lhr");
        assertThat(o.meridian()).containsEntry("region", "lhr");
        assertThat(o.forwarded()).isNull();
    }

    @Test
    void escapedSpacesStayInOneArgumentAndForwardUnchanged() {
        StartupOptions o = StartupOptions.parse("-c application_name=my\\ app -c meridian.region=iad");
        assertThat(o.forwarded()).isEqualTo("-c application_name=my\\ app");
        assertThat(o.meridian()).containsEntry("region", "iad");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-c meridian.target=read-only|target|read-only",
        "-cmeridian.target=read-only|target|read-only",
        "--meridian.region=sin|region|sin",
        "-c meridian.region=my\\ region|region|my region",
    })
    void everySpellingOfASettingIsRecognised(String options, String key, String value) {
        assertThat(StartupOptions.parse(options).meridian()).containsExactly(Map.entry(key, value));
        assertThat(StartupOptions.parse(options).forwarded()).isNull();
    }

    @Test
    void aDanglingDashCIsForwardedAsIs() {
        assertThat(StartupOptions.parse("-c").forwarded()).isEqualTo("-c");
    }

    @Test
    void meridianWithoutValueIsNotASetting() {
        StartupOptions o = StartupOptions.parse("-c meridian.region");
        assertThat(o.meridian()).isEmpty();
        assertThat(o.forwarded()).isEqualTo("-c meridian.region");
    }
}
