package dev.meridian.proxy.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: tests run in {@code proxy/}, the docs and examples live one level up. */
public final class RepoRoot {

    private RepoRoot() {}

    public static Path path() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("proxy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
