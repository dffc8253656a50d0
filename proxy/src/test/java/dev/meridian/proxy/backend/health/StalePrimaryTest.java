package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.routing.BackendHealth;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 17.5: among primaries of one cluster, only the newest timeline's takes sessions. */
class StalePrimaryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final BackendConfig A = HealthReportTest.backend("a", "iad", BackendRole.AUTO);
    private static final BackendConfig B = HealthReportTest.backend("b", "iad", BackendRole.AUTO);

    private static BackendStatus status(BackendConfig b, boolean up, BackendRole role, String system, Long timeline) {
        return new BackendStatus(b, up ? CheckState.UP : CheckState.DOWN, new BackendHealth(up, role, null), T0, null,
                new ServerFacts(system, timeline, 100, 3));
    }

    private static HealthReport report(BackendStatus... statuses) {
        return HealthReport.ofStatuses(List.of(statuses));
    }

    @Test
    void theOlderTimelinesPrimaryIsStaleAndNotUpForRouting() {
        HealthReport r = report(status(A, true, BackendRole.PRIMARY, "7001", 1L), status(B, true, BackendRole.PRIMARY, "7001", 2L));
        assertThat(r.stalePrimary("a")).isTrue();
        assertThat(r.health("a").up()).isFalse();
        assertThat(r.stalePrimary("b")).isFalse();
        assertThat(r.health("b").up()).isTrue();
    }

    @Test
    void primariesOfDifferentClustersAreNeverCompared() {
        HealthReport r = report(status(A, true, BackendRole.PRIMARY, "7001", 1L), status(B, true, BackendRole.PRIMARY, "9002", 5L));
        assertThat(r.stalePrimary("a")).isFalse();
    }

    @Test
    void aNewerPrimaryThatIsDownForNowStillFences() {
        HealthReport r = report(status(A, true, BackendRole.PRIMARY, "7001", 1L), status(B, false, BackendRole.PRIMARY, "7001", 2L));
        assertThat(r.stalePrimary("a")).isTrue();
    }

    @Test
    void onceItFollowsAsAReplicaItIsNoLongerStale() {
        HealthReport r = report(status(A, true, BackendRole.REPLICA, "7001", null), status(B, true, BackendRole.PRIMARY, "7001", 2L));
        assertThat(r.stalePrimary("a")).isFalse();
        assertThat(r.health("a").up()).isTrue();
    }

    @Test
    void withoutTheSystemIdentifierNothingIsFenced() {
        HealthReport r = report(status(A, true, BackendRole.PRIMARY, null, 1L), status(B, true, BackendRole.PRIMARY, null, 2L));
        assertThat(r.stalePrimary("a")).isFalse();
    }

    @Test
    void factsAreReadFromTheHealthQueryRow() {
        assertThat(ServerFacts.of(List.of("f", "7301", "00000002", "100", "3")))
                .isEqualTo(new ServerFacts("7301", 2L, 100, 3));
        assertThat(ServerFacts.of(List.of("t"))).isEqualTo(new ServerFacts(null, null, null, null));
    }
}
