package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import dev.meridian.proxy.config.BackendTlsMode;
import dev.meridian.proxy.routing.BackendHealth;
import dev.meridian.proxy.routing.HealthSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final BackendConfig IAD_1 = backend("iad-1", "iad", BackendRole.AUTO);
    private static final BackendConfig IAD_2 = backend("iad-2", "iad", BackendRole.REPLICA);
    private static final BackendConfig LHR_1 = backend("lhr-1", "lhr", BackendRole.PRIMARY);
    private static final HealthReport INITIAL = HealthReport.initial(List.of(IAD_1, IAD_2, LHR_1), T0);

    static BackendConfig backend(String name, String region, BackendRole role) {
        return new BackendConfig(name, region, "127.0.0.1", 5432, role, "postgres", "secret", new BackendTls(BackendTlsMode.DISABLE, null));
    }

    private static BackendStatus down(BackendConfig b) {
        return new BackendStatus(b, CheckState.DOWN, new BackendHealth(false, b.role(), null), T0, "refused");
    }

    @Test
    void initiallyEveryBackendIsUpWithItsConfiguredRole() {
        assertThat(INITIAL.health("iad-2")).isEqualTo(new BackendHealth(true, BackendRole.REPLICA, null));
        assertThat(INITIAL.statuses()).extracting(BackendStatus::name).containsExactly("iad-1", "iad-2", "lhr-1");
        assertThat(INITIAL.statuses()).allMatch(s -> s.state() == CheckState.UP && s.since().equals(T0));
        assertThat(INITIAL.anyUp()).isTrue();
    }

    @Test
    void anUnknownBackendIsDown() {
        assertThat(INITIAL.health("sin-1")).isSameAs(HealthSnapshot.UNKNOWN);
        assertThat(INITIAL.status("sin-1")).isEmpty();
    }

    @Test
    void withReplacesOneBackendAndLeavesTheOriginalAlone() {
        HealthReport after = INITIAL.with(down(IAD_1));
        assertThat(after.health("iad-1").up()).isFalse();
        assertThat(after.health("iad-2").up()).isTrue();
        assertThat(INITIAL.health("iad-1").up()).isTrue();
        assertThat(after.statuses()).extracting(BackendStatus::name).containsExactly("iad-1", "iad-2", "lhr-1");
    }

    @Test
    void aRegionIsDownOnlyWhenAllItsBackendsAre() {
        HealthReport one = INITIAL.with(down(IAD_1));
        assertThat(one.regionDown("iad")).isFalse();
        HealthReport both = one.with(down(IAD_2));
        assertThat(both.regionDown("iad")).isTrue();
        assertThat(both.regionDown("lhr")).isFalse();
        assertThat(both.regionDown("sin")).as("a region without backends").isFalse();
    }

    @Test
    void anyUpIsFalseOnlyWhenEverythingIsDown() {
        HealthReport all = INITIAL.with(down(IAD_1)).with(down(IAD_2));
        assertThat(all.anyUp()).isTrue();
        assertThat(all.with(down(LHR_1)).anyUp()).isFalse();
    }

    @Test
    void theRouterSeesRoleAndRtt() {
        BackendHealth h = new BackendHealth(true, BackendRole.PRIMARY, Duration.ofMillis(3));
        HealthReport r = INITIAL.with(new BackendStatus(IAD_1, CheckState.UP, h, T0, null));
        HealthSnapshot snapshot = r;
        assertThat(snapshot.health("iad-1")).isEqualTo(h);
    }

    @Test
    void duplicateNamesKeepTheFirstBackend() {
        BackendConfig twin = backend("iad-1", "lhr", BackendRole.PRIMARY);
        HealthReport r = HealthReport.initial(List.of(IAD_1, twin), T0);
        assertThat(r.statuses()).singleElement().extracting(BackendStatus::region).isEqualTo("iad");
    }
}
