package dev.meridian.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Proves the leak gate is live: runs a test class in a nested JUnit launcher in this JVM and
 * checks how it ended. The nested launcher takes its configuration from the same system
 * properties as the build's own run (implicit configuration parameters), so it proves the
 * build's settings, not settings made up for the proof.
 */
public final class LeakGateProof {
    /** Enables the classes that leak on purpose; set only on the nested launcher. */
    private static final String INSIDE_PROOF = "meridian.leak-gate.proof";

    private LeakGateProof() {
    }

    /** Asserts that every test of {@code leaky} passed, and the gate then failed the class. */
    public static void assertFailedByTheGate(Class<?> leaky, String leakedMethod) {
        EngineExecutionResults results = run(leaky);
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(leaky),
                finishedWithFailure(instanceOf(AssertionError.class),
                        message(m -> m.contains("resource leak(s) reported after this class ran")
                                && m.contains(leakedMethod)))));
    }

    /** Asserts that {@code clean} passed: the gate stays quiet when nothing leaks. */
    public static void assertPassed(Class<?> clean) {
        EngineExecutionResults results = run(clean);
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(clean), finishedSuccessfully()));
    }

    /** Asserts the switches of the gate are set for the current run. */
    public static void assertGateConfigured() {
        assertThat(System.getProperty("junit.jupiter.extensions.autodetection.enabled")).isEqualTo("true");
        assertThat(System.getProperty(LeakCheck.DETECTOR_PROPERTY)).isEqualTo(ReportingLeakDetector.class.getName());
        assertThat(ReportingLeakDetector.installed()).isTrue();
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .enableImplicitConfigurationParameters(true) // off by default in the kit
                .configurationParameter(INSIDE_PROOF, "true")
                .execute();
    }

    /**
     * Put on a class that leaks on purpose: it runs only inside {@link LeakGateProof}'s launcher,
     * never in the build's own run or an IDE's.
     */
    public static final class OnlyInsideTheProof implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(INSIDE_PROOF).isPresent()
                    ? ConditionEvaluationResult.enabled("inside the leak gate proof")
                    : ConditionEvaluationResult.disabled("leaks on purpose; run by LeakGateProof only");
        }
    }
}
