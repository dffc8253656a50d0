package dev.meridian.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Loads and validates the YAML configuration. Used by startup, {@code meridian check} and hot
 * reload alike, so all three report the same problems in the same words.
 *
 * <p>Whatever the input, the only exception is {@link ConfigException}, listing every problem
 * found (not just the first), each prefixed by its path, e.g.
 * {@code backends[2].port: must be 1..65535}. Problems never contain passwords.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Reads {@code file} (UTF-8) with the process environment; relative paths in it are relative
     * to its directory.
     */
    public static MeridianConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Like {@link #load(Path)} with an explicit environment (tests, reload with a fixed env). */
    public static MeridianConfig load(Path file, Map<String, String> env) {
        Path absolute = file.toAbsolutePath();
        return parse(read(absolute), env, absolute.getParent());
    }

    /**
     * Parses YAML text. {@code ${VAR}} and {@code ${VAR:-default}} in values are replaced from
     * {@code env}; relative file paths resolve against {@code baseDir} (null: the working
     * directory).
     */
    public static MeridianConfig parse(String yaml, Map<String, String> env, Path baseDir) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(env, "env");
        Path base = baseDir == null ? Path.of("").toAbsolutePath() : baseDir;
        LoadContext context = new LoadContext(env, base);
        try {
            JsonNode root = YamlTree.read(stripByteOrderMark(yaml), context);
            return ConfigBinder.bind(root, context);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug of ours, not the user's; still a ConfigException so a reload never crashes.
            ConfigException wrapped = new ConfigException("internal error while reading the"
                    + " configuration (" + e.getClass().getName() + ")");
            wrapped.initCause(e);
            throw wrapped;
        }
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > YamlTree.MAX_CHARS * 4L) {
                throw new ConfigException(file + ": file is too large to be a configuration");
            }
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration: " + describe(e));
        }
    }

    /** In words, not exception names: "(NoSuchFile: /etc/x)" says less than "no such file". */
    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file (give the configuration file with -c FILE)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied (the proxy's user must be able to read it)";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** YAML allows a leading byte order mark; editors on Windows like to write one. */
    private static String stripByteOrderMark(String yaml) {
        return yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
    }
}
