package dev.meridian.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.deploy.Dockerfile.Instruction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's build stage, without a Docker engine: exactly the sources its {@code COPY} lines
 * name (less what {@code .dockerignore} drops: {@code target/}) are copied into an empty folder,
 * its {@code RUN} Maven command runs there offline on the local repository, and the jar the
 * runtime stage copies must come out. A module the parent pom lists but the Dockerfile does not
 * copy, or a flag that cannot resolve a test-jar, fails here as it would in {@code docker build}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DockerBuildIntegrationTests {
    private static final Dockerfile DOCKERFILE = Dockerfile.parse(RepoFiles.text("Dockerfile"));
    private static final String WORKDIR = "/src";

    @Test
    void theBuildStageMakesTheJarFromWhatItCopies(@TempDir Path context) throws Exception {
        assertThat(DOCKERFILE.all("WORKDIR")).extracting(Instruction::arguments).first().isEqualTo(WORKDIR);
        for (Instruction copy : buildStage("COPY")) {
            String[] parts = copy.arguments().split("\\s+");
            assertThat(parts).as("COPY source dest: " + copy.arguments()).hasSize(2);
            copyTree(RepoFiles.path(parts[0]), context.resolve(parts[1]).resolve(destinationName(parts)));
        }
        List<String> command = mavenCommand();
        Path log = context.resolve("build.log");
        Process build = new ProcessBuilder(command).directory(context.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(14, TimeUnit.MINUTES)) {
            build.destroyForcibly().waitFor();
            throw new AssertionError("the build stage's Maven command did not finish: " + command);
        }
        assertThat(build.exitValue()).as("%s failed:%n%s", command, Files.readString(log)).isZero();
        assertThat(context.resolve(builtJar())).as("the jar the runtime stage copies").isRegularFile();
    }

    private static List<Instruction> buildStage(String keyword) {
        return DOCKERFILE.all(keyword).stream().filter(i -> i.stage() == 0).toList();
    }

    /** "COPY proxy/ proxy/" copies into proxy/; "COPY pom.xml ./" keeps the file's name. */
    private static String destinationName(String[] parts) {
        return parts[1].endsWith("/") && !parts[0].endsWith("/") ? Path.of(parts[0]).getFileName().toString() : "";
    }

    /** The RUN line's command with the local wrapper for {@code mvn}, offline, no BuildKit flags. */
    private static List<String> mavenCommand() {
        List<Instruction> runs = buildStage("RUN");
        assertThat(runs).hasSize(1);
        List<String> words = new ArrayList<>(Arrays.asList(runs.get(0).arguments().split("\\s+")));
        words.removeIf(w -> w.startsWith("--mount="));
        assertThat(words.get(0)).isEqualTo("mvn");
        words.set(0, RepoFiles.path("mvnw").toString());
        words.add(1, "-o");
        return words;
    }

    /** "--from=build /src/proxy/target/meridian.jar ..." → proxy/target/meridian.jar. */
    private static String builtJar() {
        String from = DOCKERFILE.runtime("COPY").stream().map(Instruction::arguments)
                .filter(a -> a.startsWith("--from=build ")).findFirst().orElseThrow().split("\\s+")[1];
        assertThat(from).startsWith(WORKDIR + "/");
        return from.substring(WORKDIR.length() + 1);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        assertThat(source).as("a COPY source in the repository").exists();
        try (Stream<Path> files = Files.walk(source)) {
            files.filter(p -> !isBuildOutput(source.relativize(p))).forEach(p -> {
                try {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(p, to);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** .dockerignore's "**&#47;target/" and anything not in version control worth skipping. */
    private static boolean isBuildOutput(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("target") || part.toString().equals("node_modules")) {
                return true;
            }
        }
        return false;
    }
}
