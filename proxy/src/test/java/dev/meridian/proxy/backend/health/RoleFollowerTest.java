package dev.meridian.proxy.backend.health;

import static dev.meridian.proxy.config.BackendRole.AUTO;
import static dev.meridian.proxy.config.BackendRole.PRIMARY;
import static dev.meridian.proxy.config.BackendRole.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.backend.health.RoleFollower.RoleEvent;
import org.junit.jupiter.api.Test;

class RoleFollowerTest {
    @Test
    void autoIsUnknownUntilObserved() {
        assertThat(new RoleFollower(AUTO).effective()).isEqualTo(AUTO);
    }

    @Test
    void autoTakesTheFirstObservationAndSaysSo() {
        RoleFollower f = new RoleFollower(AUTO);
        assertThat(f.observe(REPLICA)).contains(new RoleEvent(AUTO, REPLICA, false));
        assertThat(f.effective()).isEqualTo(REPLICA);
    }

    @Test
    void autoFollowsPromotionAndDemotionOnceEach() {
        RoleFollower f = new RoleFollower(AUTO);
        f.observe(REPLICA);
        assertThat(f.observe(REPLICA)).isEmpty();
        assertThat(f.observe(PRIMARY)).contains(new RoleEvent(REPLICA, PRIMARY, false));
        assertThat(f.observe(PRIMARY)).isEmpty();
        assertThat(f.effective()).isEqualTo(PRIMARY);
        assertThat(f.observe(REPLICA)).contains(new RoleEvent(PRIMARY, REPLICA, false));
        assertThat(f.effective()).isEqualTo(REPLICA);
    }

    @Test
    void autoKeepsTheLastRoleWhenAProbeCannotTell() {
        RoleFollower f = new RoleFollower(AUTO);
        f.observe(PRIMARY);
        assertThat(f.observe(null)).isEmpty();
        assertThat(f.effective()).isEqualTo(PRIMARY);
    }

    @Test
    void aConfiguredRoleStaysWhateverTheServerSays() {
        RoleFollower f = new RoleFollower(PRIMARY);
        f.observe(REPLICA);
        assertThat(f.effective()).isEqualTo(PRIMARY);
        RoleFollower r = new RoleFollower(REPLICA);
        r.observe(PRIMARY);
        assertThat(r.effective()).isEqualTo(REPLICA);
    }

    @Test
    void aMismatchIsReportedOncePerEpisode() {
        RoleFollower f = new RoleFollower(PRIMARY);
        assertThat(f.observe(PRIMARY)).isEmpty();
        assertThat(f.observe(REPLICA)).contains(new RoleEvent(PRIMARY, REPLICA, true));
        assertThat(f.observe(REPLICA)).isEmpty();
        assertThat(f.observe(PRIMARY)).isEmpty();
        assertThat(f.observe(REPLICA)).contains(new RoleEvent(PRIMARY, REPLICA, true));
    }

    @Test
    void aMismatchOnTheFirstObservationIsReported() {
        assertThat(new RoleFollower(REPLICA).observe(PRIMARY)).contains(new RoleEvent(REPLICA, PRIMARY, true));
    }

    @Test
    void nothingToSayWhenNeverAsked() {
        RoleFollower f = new RoleFollower(REPLICA);
        assertThat(f.observe(null)).isEmpty();
        assertThat(f.effective()).isEqualTo(REPLICA);
    }

    @Test
    void aRoleSeenByAnEarlierCheckerCarriesOverSilently() {
        RoleFollower f = new RoleFollower(AUTO, PRIMARY);
        assertThat(f.effective()).isEqualTo(PRIMARY);
        assertThat(f.observe(PRIMARY)).isEmpty();
        assertThat(f.observe(REPLICA)).contains(new RoleEvent(PRIMARY, REPLICA, false));
    }

    @Test
    void anUnknownCarriedOverRoleIsNoRole() {
        RoleFollower f = new RoleFollower(AUTO, AUTO);
        assertThat(f.effective()).isEqualTo(AUTO);
        assertThat(f.observe(REPLICA)).contains(new RoleEvent(AUTO, REPLICA, false));
    }
}
