package dev.meridian.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line itself: version, help, usage layout. */
class MainCommandsTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void versionComesFromTheBuild() {
        Run run = run("--version");
        assertThat(run.exit()).isZero();
        // The build's version (Maven-filtered), never the old placeholder "dev" nor an unfiltered ${...}.
        assertThat(run.out().trim()).matches("meridian \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(Version.number()).isNotEqualTo("dev").doesNotContain("$");
    }

    @Test
    void helpListsTheCommands() {
        Run run = run("help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Usage: meridian", "run", "check", "demo", "route", "scram-secret", "help");
    }

    @Test
    void helpOfOneCommandIsItsUsage() {
        Run run = run("help", "route");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: meridian route").contains("--client-ip=IP", "--read-only");
        assertThat(run("help", "check").out()).startsWith("Usage: meridian check");
    }

    @Test
    void usageNeverWrapsInsideAnOptionValue() {
        for (String command : new String[] {"run", "check", "demo", "route", "scram-secret"}) {
            String usage = run(command, "--help").out();
            assertThat(usage.lines()).as(command).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(Main.USAGE_WIDTH));
            assertThat(usage).as(command).doesNotContainPattern("\\[--[a-z-]+=\\s*\\n");
        }
        String route = run("route", "--help").out();
        assertThat(route).contains("options=-c meridian.target=read-only.", "options=-c meridian.region=X.");
    }
}
