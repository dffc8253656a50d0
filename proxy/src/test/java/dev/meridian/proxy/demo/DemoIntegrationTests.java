package dev.meridian.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.demo.DemoOutput.Line;
import dev.meridian.proxy.localpg.PgBinaries;
import dev.meridian.proxy.localpg.ProcessResult;
import dev.meridian.proxy.localpg.ProcessRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code meridian demo} end to end, as the README tells users to run it: every printed psql line
 * is run by a shell, through the proxy, to the region it promises; stopping leaves nothing behind.
 */
class DemoIntegrationTests {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(90);

    @Test
    void everyPrintedPsqlLineReachesItsRegionAndCtrlCRemovesEverything() throws Exception {
        int port = freePort();
        int adminPort = freePort();
        try (DemoProcess demo = DemoProcess.start("--port", Integer.toString(port),
                "--admin-port", Integer.toString(adminPort))) {
            DemoOutput out = demo.awaitReady();
            assertThat(out.serverPorts()).containsOnlyKeys("iad", "lhr", "sin");
            assertThat(out.psqlLines()).extracting(Line::database)
                    .containsExactly("demo_iad", "demo_lhr", "demo_sin", "postgres", "postgres");
            for (Line line : out.psqlLines()) {
                ProcessResult psql = shell(line.shellLine());
                assertThat(psql.exitCode()).as(line.shellLine() + psql.describeOutput()).isZero();
                assertThat(psql.stdout().lines().map(String::strip)).as(line.shellLine())
                        .contains(line.expectedRegion());
            }
            assertThat(get(adminPort, "/health")).isEqualTo("ok\n");
            ProcessResult console = shell("psql \"host=127.0.0.1 port=" + port
                    + " dbname=meridian user=demo\" -c \"SHOW BACKENDS\"");
            assertThat(console.stdout()).as(console.describeOutput()).contains("iad-1").contains("sin-1");
            ProcessResult reload = shell("psql \"host=127.0.0.1 port=" + port + " dbname=meridian user=demo\" -c RELOAD");
            assertThat(reload.exitCode()).as("the banner offers RELOAD: it works" + reload.describeOutput()).isZero();
            assertThat(reload.stderr()).doesNotContain("ERROR");
            assertThat(shell(out.psqlLines().get(1).shellLine()).stdout()).as("served after the reload").contains("lhr");
            String config = out.directory().resolve("meridian.yaml").toString();
            ProcessResult check = meridian("check", "-c", config);
            assertThat(check.exitCode()).as("the printed config passes check" + check.describeOutput()).isZero();
            ProcessResult route = meridian("route", "-c", config, "--database", "demo_sin");
            assertThat(route.exitCode()).as("and route" + route.describeOutput()).isZero();
            assertThat(route.stdout()).contains("sin-1");

            demo.signalGroup("INT");

            assertThat(demo.awaitExit(EXIT_WAIT)).as(demo.describe()).isEqualTo(128 + 2);
            assertNothingLeft(demo, out, port, adminPort);
        }
    }

    @Test
    void sigtermStopsItAsCleanly() throws Exception {
        int port = freePort();
        int adminPort = freePort();
        try (DemoProcess demo = DemoProcess.start("--port", Integer.toString(port),
                "--admin-port", Integer.toString(adminPort))) {
            DemoOutput out = demo.awaitReady();

            demo.terminate();

            assertThat(demo.awaitExit(EXIT_WAIT)).as(demo.describe()).isEqualTo(128 + 15);
            assertNothingLeft(demo, out, port, adminPort);
        }
    }

    @Test
    void aBusyPortFailsAtOnceWithAdvice() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             DemoProcess demo = DemoProcess.start("--port", Integer.toString(taken.getLocalPort()),
                     "--admin-port", Integer.toString(freePort()))) {
            assertThat(demo.awaitExit(EXIT_WAIT)).isEqualTo(1);
            assertThat(demo.stderr())
                    .contains("127.0.0.1:" + taken.getLocalPort() + " is already in use")
                    .contains("--port=PORT");
            assertThat(demo.stdout()).as("no server was started").doesNotContain("Starting PostgreSQL");
        }
    }

    private static void assertNothingLeft(DemoProcess demo, DemoOutput out, int port, int adminPort) {
        Path directory = out.directory();
        assertThat(demo.stdout()).contains("Stopped; removed " + directory);
        assertThat(directory).doesNotExist();
        assertThat(processesUsing(directory)).as("processes still using " + directory).isEmpty();
        List<Integer> ports = new ArrayList<>(out.serverPorts().values());
        ports.addAll(List.of(port, adminPort));
        assertThat(ports).as("ports still listening").filteredOn(DemoIntegrationTests::isListening).isEmpty();
    }

    /** Runs a printed line in a POSIX shell that finds this machine's psql, as a user's would. */
    /** The command line in a JVM of its own, without the demo's in-memory password. */
    private static ProcessResult meridian(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), dev.meridian.proxy.cli.Main.class.getName()));
        command.addAll(List.of(args));
        return ProcessRunner.asCurrentUser().withTimeout(Duration.ofSeconds(60)).run(command, null);
    }

    private static ProcessResult shell(String line) {
        String path = PgBinaries.require().binDir() + ":" + System.getenv("PATH");
        return ProcessRunner.asCurrentUser().withTimeout(Duration.ofSeconds(60))
                .withEnv("PATH", path).withEnv("PGCONNECT_TIMEOUT", "10")
                .run("sh", "-c", line);
    }

    /** Pids whose working directory or command line points into {@code directory} (Linux /proc). */
    private static List<String> processesUsing(Path directory) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(proc -> {
                String cwd = readLink(proc.resolve("cwd"));
                String cmdline = read(proc.resolve("cmdline")).replace('\0', ' ');
                if (cwd.startsWith(directory.toString()) || cmdline.contains(directory.toString())) {
                    found.add(proc.getFileName() + ": " + cmdline);
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return ""; // the process exited, or is not ours to inspect
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
