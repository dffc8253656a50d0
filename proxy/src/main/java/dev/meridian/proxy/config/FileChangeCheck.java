package dev.meridian.proxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells when files named by the configuration (users file, TLS certificate and key) changed,
 * by modification time, looking at most once a second so it is cheap to ask on every login or
 * handshake. Each change is reported once.
 */
public final class FileChangeCheck {
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final List<Path> files;
    private List<FileTime> seen;
    private long lastCheck = System.nanoTime();

    public FileChangeCheck(Path... files) throws IOException {
        this.files = List.of(files);
        this.seen = times();
    }

    /** True when a file changed since the last time this said so. */
    public synchronized boolean changed() throws IOException {
        long now = System.nanoTime();
        if (now - lastCheck < RECHECK_NANOS) {
            return false;
        }
        lastCheck = now;
        List<FileTime> current = times();
        if (current.equals(seen)) {
            return false;
        }
        seen = current;
        return true;
    }

    private List<FileTime> times() throws IOException {
        List<FileTime> times = new ArrayList<>(files.size());
        for (Path f : files) {
            times.add(Files.getLastModifiedTime(f));
        }
        return times;
    }
}
