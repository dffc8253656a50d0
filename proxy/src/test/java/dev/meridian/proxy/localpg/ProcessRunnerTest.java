package dev.meridian.proxy.localpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    private final ProcessRunner runner = ProcessRunner.asCurrentUser();

    @Test
    void capturesExitCodeAndBothStreams() {
        ProcessResult result = runner.run("sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(result).isEqualTo(new ProcessResult(3, "out\n", "err\n"));
        assertThatThrownBy(() -> result.requireSuccess(List.of("sh")))
                .hasMessageContaining("exit code 3").hasMessageContaining("err");
    }

    @Test
    void largeOutputOnBothStreamsDoesNotDeadlock() {
        ProcessResult result = runner.withTimeout(Duration.ofSeconds(30)).run("sh", "-c",
                "yes o | head -c 3000000; yes e | head -c 3000000 >&2");

        assertThat(result.stdout()).hasSize(3_000_000);
        assertThat(result.stderr()).hasSize(3_000_000);
    }

    @Test
    void feedsStdinAndOtherwiseGivesAnEmptyOne() {
        assertThat(runner.run(List.of("cat"), "hello\n").stdout()).isEqualTo("hello\n");
        assertThat(runner.run("cat").stdout()).isEmpty();
    }

    @Test
    void killsACommandThatOutlivesItsTimeout() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> runner.withTimeout(Duration.ofMillis(300)).run("sh", "-c", "echo started; sleep 30"))
                .hasMessageContaining("timed out after").hasMessageContaining("started");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void passesOnlyTheGivenPgVariables() {
        Map<String, String> environment = new HashMap<>(Map.of("PGHOST", "elsewhere", "PATH", "/bin"));
        runner.withEnv("PGAPPNAME", "meridian").configureEnvironment(environment);

        assertThat(environment).containsEntry("PGAPPNAME", "meridian").containsEntry("PATH", "/bin")
                .doesNotContainKey("PGHOST");
    }

    @Test
    void runsServerCommandsAsThePostgresUserOnlyWhenRoot() {
        String user = ProcessRunner.asServerOwner().runChecked("id", "-un").stdout().trim();
        String me = runner.runChecked("id", "-un").stdout().trim();

        assertThat(user).isEqualTo(ProcessRunner.isRoot() ? ProcessRunner.SERVER_OS_USER : me);
    }
}
