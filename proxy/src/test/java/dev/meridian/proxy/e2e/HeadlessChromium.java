package dev.meridian.proxy.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, to load a page the way an operator's browser does: it runs
 * the page's script (which fetches its JSON) for a few seconds of virtual time, then prints the
 * DOM or takes a screenshot. A fresh profile folder each time, deleted afterwards.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of(System.getProperty("meridian.chromium", "/usr/bin/chromium"));

    private HeadlessChromium() {
    }

    static String dumpDom(String url) {
        return run(url, "--dump-dom");
    }

    static void screenshot(String url, Path png) {
        run(url, "--screenshot=" + png.toAbsolutePath(), "--window-size=1400,1000");
    }

    private static String run(String url, String... action) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install Debian's chromium (apt-get install -y chromium)");
        }
        Path profile = null;
        try {
            profile = Files.createTempDirectory("meridian-chromium-");
            List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                    "--virtual-time-budget=5000"));
            cmd.addAll(List.of(action));
            cmd.add(url);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within 60 s");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a profile left behind is only disk space
        }
    }
}
