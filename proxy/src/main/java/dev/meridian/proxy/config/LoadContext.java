package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** State shared by one load: the problems found so far, the environment and the base directory. */
final class LoadContext {

    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> env;
    private final Interpolator interpolator;
    private final Path baseDir;
    /** Path of every map opened with {@link Fields} → the keys it accepts (docs test, schema). */
    private final Map<String, List<String>> acceptedKeys = new LinkedHashMap<>();

    LoadContext(Map<String, String> env, Path baseDir) {
        this.env = new HashMap<>(env);
        this.interpolator = new Interpolator(this.env);
        this.baseDir = baseDir;
    }

    void problem(String path, String message) {
        problems.add(KeyPath.problem(path, message));
    }

    void accepts(String path, String... keys) {
        acceptedKeys.put(path, List.of(keys));
    }

    /** The keys each map read in this load accepts, by path (in reading order). */
    Map<String, List<String>> acceptedKeys() {
        return acceptedKeys;
    }

    List<String> problems() {
        return problems;
    }

    String env(String name) {
        return env.get(name);
    }

    Interpolator interpolator() {
        return interpolator;
    }

    /** Relative paths in the file are relative to the file's directory, not the process's. */
    Path resolve(String file) {
        return baseDir.resolve(file).toAbsolutePath().normalize();
    }
}
