package dev.meridian.proxy.backend.health;

import static dev.meridian.proxy.backend.health.CheckState.DOWN;
import static dev.meridian.proxy.backend.health.CheckState.SUSPECT;
import static dev.meridian.proxy.backend.health.CheckState.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiseFallTest {
    /** Times are plain numbers here: the class only compares them. */
    private static final long NO_GRACE = 0;
    private long now = 1_000;

    private long tick() {
        return now += 10;
    }

    private Optional<Transition> fail(RiseFall rf) {
        return rf.failure("refused", tick());
    }

    private Optional<Transition> pass(RiseFall rf) {
        return rf.success(tick());
    }

    @Test
    void startsUp() {
        assertThat(new RiseFall(2, 3, NO_GRACE).state()).isEqualTo(UP);
    }

    @Test
    void rejectsCountsBelowOne() {
        assertThatThrownBy(() -> new RiseFall(0, 3, NO_GRACE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RiseFall(2, 0, NO_GRACE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class CarriedOver {
        @Test
        void anUpVerdictStaysUp() {
            RiseFall rf = new RiseFall(2, 2, NO_GRACE, UP);
            assertThat(rf.state()).isEqualTo(UP);
            assertThat(fail(rf)).isEmpty();
        }

        @Test
        void aDownVerdictStaysDownUntilRisePasses() {
            RiseFall rf = new RiseFall(2, 2, NO_GRACE, DOWN);
            assertThat(rf.state()).isEqualTo(DOWN);
            assertThat(pass(rf)).isEmpty();
            assertThat(pass(rf)).contains(new Transition(DOWN, UP, "2 checks passed"));
        }

        @Test
        void aSuspicionCarriesOverAsDown() {
            RiseFall rf = new RiseFall(2, 2, NO_GRACE, SUSPECT);
            assertThat(rf.state()).isEqualTo(DOWN);
            assertThat(pass(rf)).as("needs rise passes, like any down backend").isEmpty();
        }
    }

    @Nested
    class Fall {
        @Test
        void goesDownOnTheFallthFailureInARow() {
            RiseFall rf = new RiseFall(2, 3, NO_GRACE);
            assertThat(fail(rf)).isEmpty();
            assertThat(fail(rf)).isEmpty();
            assertThat(fail(rf)).contains(new Transition(UP, DOWN, "refused"));
            assertThat(rf.state()).isEqualTo(DOWN);
        }

        @Test
        void aPassBetweenFailuresStartsTheCountAgain() {
            RiseFall rf = new RiseFall(2, 3, NO_GRACE);
            fail(rf);
            fail(rf);
            pass(rf);
            fail(rf);
            assertThat(fail(rf)).isEmpty();
            assertThat(rf.state()).isEqualTo(UP);
            assertThat(fail(rf)).isPresent();
        }

        @Test
        void theTransitionCarriesTheLastFailuresReason() {
            RiseFall rf = new RiseFall(1, 2, NO_GRACE);
            rf.failure("timeout", tick());
            assertThat(rf.failure("connection refused", tick()))
                    .map(Transition::reason).contains("connection refused");
        }

        @Test
        void furtherFailuresWhileDownChangeNothing() {
            RiseFall rf = new RiseFall(2, 1, NO_GRACE);
            assertThat(fail(rf)).isPresent();
            for (int i = 0; i < 10; i++) {
                assertThat(fail(rf)).isEmpty();
            }
            assertThat(rf.state()).isEqualTo(DOWN);
        }

        @ParameterizedTest(name = "fall {0}")
        @CsvSource({"1", "2", "3", "5", "10"})
        void takesExactlyFallFailures(int fall) {
            RiseFall rf = new RiseFall(1, fall, NO_GRACE);
            for (int i = 1; i < fall; i++) {
                assertThat(fail(rf)).as("failure %d", i).isEmpty();
            }
            assertThat(fail(rf)).isPresent();
        }
    }

    @Nested
    class Rise {
        private RiseFall down(int rise) {
            RiseFall rf = new RiseFall(rise, 1, NO_GRACE);
            fail(rf);
            return rf;
        }

        @Test
        void comesBackOnTheRisethPassInARow() {
            RiseFall rf = down(2);
            assertThat(pass(rf)).isEmpty();
            assertThat(pass(rf)).contains(new Transition(DOWN, UP, "2 checks passed"));
            assertThat(rf.state()).isEqualTo(UP);
        }

        @Test
        void aFailureBetweenPassesStartsTheCountAgain() {
            RiseFall rf = down(3);
            pass(rf);
            pass(rf);
            fail(rf);
            pass(rf);
            assertThat(pass(rf)).isEmpty();
            assertThat(pass(rf)).isPresent();
        }

        @Test
        void riseOfOneSaysCheckInTheSingular() {
            assertThat(pass(down(1))).map(Transition::reason).contains("1 check passed");
        }

        @Test
        void upAgainNeedsFallNewFailuresToGoDown() {
            RiseFall rf = new RiseFall(1, 2, NO_GRACE);
            fail(rf);
            fail(rf);
            pass(rf);
            assertThat(fail(rf)).isEmpty();
            assertThat(fail(rf)).isPresent();
        }

        @ParameterizedTest(name = "rise {0}")
        @CsvSource({"1", "2", "3", "7"})
        void takesExactlyRisePasses(int rise) {
            RiseFall rf = down(rise);
            for (int i = 1; i < rise; i++) {
                assertThat(pass(rf)).as("pass %d", i).isEmpty();
            }
            assertThat(pass(rf)).isPresent();
        }
    }

    @Nested
    class Grace {
        @Test
        void failuresDuringGraceDoNotTakeTheBackendDown() {
            RiseFall rf = new RiseFall(2, 2, 5_000);
            for (int i = 0; i < 50; i++) {
                assertThat(fail(rf)).isEmpty();
            }
            assertThat(rf.state()).isEqualTo(UP);
        }

        @Test
        void failuresDuringGraceDoNotCountTowardsFall() {
            RiseFall rf = new RiseFall(2, 3, 5_000);
            rf.failure("a", 1_000);
            rf.failure("b", 2_000);
            rf.failure("c", 3_000);
            assertThat(rf.failure("d", 5_000)).as("the first failure after the grace period").isEmpty();
            assertThat(rf.failure("e", 6_000)).isEmpty();
            assertThat(rf.failure("f", 7_000)).contains(new Transition(UP, DOWN, "f"));
        }

        /** A proxy booting on a busy machine: its cold probes time out until the grace period is over. */
        @Test
        void probesThatTimeOutAllThroughGraceAndThenPassNeverTakeItDown() {
            RiseFall rf = new RiseFall(2, 3, 10_000);
            for (long t = 0; t < 10_000; t += 1_000) {
                assertThat(rf.failure("no answer within 1000 ms", t)).isEmpty();
            }
            assertThat(rf.failure("no answer within 1000 ms", 10_500)).isEmpty();
            assertThat(rf.success(11_000)).isEmpty();
            assertThat(rf.state()).isEqualTo(UP);
            assertThat(rf.failure("x", 12_000)).isEmpty();
            assertThat(rf.failure("y", 13_000)).as("one failure before the pass, two after: not three in a row")
                    .isEmpty();
        }

        @Test
        void aFailureAtTheEndOfGraceCounts() {
            RiseFall rf = new RiseFall(2, 1, 5_000);
            assertThat(rf.failure("before", 4_999)).isEmpty();
            assertThat(rf.failure("at the end", 5_000)).contains(new Transition(UP, DOWN, "at the end"));
        }

        @Test
        void graceComparesNanoTimesOverflowSafely() {
            long end = Long.MAX_VALUE - 5;
            RiseFall rf = new RiseFall(1, 1, end);
            assertThat(rf.failure("before", end - 10)).isEmpty();
            assertThat(rf.failure("after wrap", end + 20)).isPresent(); // wraps to a negative long
        }
    }

    @Nested
    class Suspect {
        @Test
        void anUpBackendLeavesRoutingAtOnce() {
            RiseFall rf = new RiseFall(2, 3, NO_GRACE);
            assertThat(rf.suspect("connect refused", tick()))
                    .contains(new Transition(UP, SUSPECT, "connect refused"));
        }

        @Test
        void oneFailedProbeConfirmsItDown() {
            RiseFall rf = new RiseFall(2, 3, NO_GRACE);
            rf.suspect("connect refused", tick());
            assertThat(rf.failure("probe refused", tick())).contains(new Transition(SUSPECT, DOWN, "probe refused"));
        }

        @Test
        void onePassingProbeStartedAfterTheSuspicionClearsIt() {
            RiseFall rf = new RiseFall(3, 3, NO_GRACE);
            long at = tick();
            rf.suspect("reset", at);
            assertThat(rf.success(at)).contains(new Transition(SUSPECT, UP, "a check passed after the suspicion"));
        }

        @Test
        void aProbeStartedBeforeTheSuspicionCannotClearIt() {
            RiseFall rf = new RiseFall(2, 3, NO_GRACE);
            long probeStarted = tick();
            rf.suspect("refused", tick());
            assertThat(rf.success(probeStarted)).isEmpty();
            assertThat(rf.state()).isEqualTo(SUSPECT);
        }

        @Test
        void isIgnoredWhileDownOrAlreadySuspect() {
            RiseFall rf = new RiseFall(2, 1, NO_GRACE);
            rf.suspect("first", tick());
            assertThat(rf.suspect("second", tick())).isEmpty();
            fail(rf);
            assertThat(rf.suspect("third", tick())).isEmpty();
            assertThat(rf.state()).isEqualTo(DOWN);
        }

        @Test
        void duringGraceAFailedProbeKeepsItSuspectNotDown() {
            RiseFall rf = new RiseFall(2, 3, 5_000);
            rf.suspect("refused", 1_000);
            assertThat(rf.failure("refused again", 2_000)).isEmpty();
            assertThat(rf.state()).isEqualTo(SUSPECT);
            assertThat(rf.failure("after grace", 6_000)).contains(new Transition(SUSPECT, DOWN, "after grace"));
        }

        @Test
        void failuresBeforeTheSuspicionDoNotCarryOverAfterItClears() {
            RiseFall rf = new RiseFall(2, 3, NO_GRACE);
            fail(rf);
            fail(rf);
            rf.suspect("refused", tick());
            pass(rf);
            assertThat(fail(rf)).isEmpty();
            assertThat(fail(rf)).isEmpty();
            assertThat(fail(rf)).isPresent();
        }

        @Test
        void downThenRecoveredCanBeSuspectedAgain() {
            RiseFall rf = new RiseFall(1, 1, NO_GRACE);
            rf.suspect("one", tick());
            fail(rf);
            pass(rf);
            assertThat(rf.suspect("two", tick())).isPresent();
        }
    }

    /** A long random walk: the state always agrees with a straightforward model of the rules. */
    @Test
    void randomSequencesAgreeWithAModel() {
        java.util.Random random = new java.util.Random(42);
        for (int run = 0; run < 2_000; run++) {
            int rise = 1 + random.nextInt(4);
            int fall = 1 + random.nextInt(4);
            RiseFall rf = new RiseFall(rise, fall, NO_GRACE);
            CheckState model = UP;
            int passes = 0;
            int failures = 0;
            for (int step = 0; step < 40; step++) {
                int event = random.nextInt(5);
                CheckState before = model;
                if (event == 0) {
                    if (model == UP) {
                        model = SUSPECT;
                        passes = 0;
                        failures = 0;
                    }
                    assertThat(rf.suspect("s", tick()).isPresent()).isEqualTo(before != model);
                } else if (event <= 2) {
                    failures++;
                    passes = 0;
                    if (model == SUSPECT || (model == UP && failures >= fall)) {
                        model = DOWN;
                        failures = 0;
                    }
                    assertThat(fail(rf).isPresent()).isEqualTo(before != model);
                } else {
                    failures = 0;
                    if (model == SUSPECT) {
                        model = UP;
                    } else if (model == DOWN && ++passes >= rise) {
                        model = UP;
                        passes = 0;
                    }
                    assertThat(pass(rf).isPresent()).isEqualTo(before != model);
                }
                assertThat(rf.state()).as("run %d step %d", run, step).isEqualTo(model);
            }
        }
    }
}
