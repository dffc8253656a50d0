package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.proxy.backend.BackendException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LoginVerdictTest {
    private static final Duration ELAPSED = Duration.ofMillis(8);

    private static BackendException serverSays(String sqlState) {
        return BackendException.refused(ErrorResponse.fatal(sqlState, "server says no"));
    }

    @ParameterizedTest(name = "credentials configured: {0}")
    @ValueSource(booleans = {true, false})
    void anUnreachableBackendFails(boolean configured) {
        ProbeResult r = LoginVerdict.of(BackendException.unreachable("could not connect: Connection refused", null),
                configured, ELAPSED);
        assertThat(r.passed()).isFalse();
        assertThat(r.failure()).isEqualTo("could not connect: Connection refused");
    }

    /** Starting up, shutting down, in recovery, out of memory or disk: no session could start either. */
    @ParameterizedTest(name = "{0}, credentials configured: {1}")
    @CsvSource({"57P03, true", "57P03, false", "57P01, false", "57P02, true", "53100, true", "53200, false"})
    void aServerThatCannotTakeSessionsFails(String sqlState, boolean configured) {
        ProbeResult r = LoginVerdict.of(serverSays(sqlState), configured, ELAPSED);
        assertThat(r.passed()).isFalse();
        assertThat(r.failure()).startsWith("server refuses sessions: FATAL " + sqlState);
    }

    /** Issue 17.2: a full server (53300) is serving sessions; marking it down would refuse everyone. */
    @ParameterizedTest(name = "credentials configured: {0}")
    @ValueSource(booleans = {true, false})
    void tooManyConnectionsIsBusyNotDown(boolean configured) {
        ProbeResult r = LoginVerdict.of(serverSays("53300"), configured, ELAPSED);
        assertThat(r.inconclusive()).isTrue();
        assertThat(r.failure()).startsWith("busy, not down").contains("53300").contains("server says no");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"28P01", "28000", "3D000"})
    void withCredentialsAnyLoginRefusalFails(String sqlState) {
        ProbeResult r = LoginVerdict.of(serverSays(sqlState), true, ELAPSED);
        assertThat(r.passed()).isFalse();
        assertThat(r.failure()).startsWith("health check login failed: ");
    }

    @Test
    void withCredentialsAFailureOfOurOwnFails() {
        ProbeResult r = LoginVerdict.of(BackendException.failed("backend asks for a SCRAM password"), true, ELAPSED);
        assertThat(r.passed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"28P01", "28000", "3D000"})
    void withoutCredentialsAServerAnsweringTheStartupIsAlive(String sqlState) {
        ProbeResult r = LoginVerdict.of(serverSays(sqlState), false, ELAPSED);
        assertThat(r).isEqualTo(ProbeResult.passed(null, Duration.ofMillis(4)));
    }

    @Test
    void withoutCredentialsAnAuthenticationRequestMeansAlive() {
        ProbeResult r = LoginVerdict.of(BackendException.failed("backend asks for a SCRAM password and Meridian holds none"),
                false, ELAPSED);
        assertThat(r.passed()).isTrue();
        assertThat(r.role()).isNull();
        assertThat(r.rtt()).isEqualTo(Duration.ofMillis(4));
    }
}
