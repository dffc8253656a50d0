package dev.meridian.proxy.deploy;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** deploy/meridian.yaml loaded as on Fly.io: secrets in the environment, the users file present. */
final class DeployedConfig {

    static final String FILE = "deploy/meridian.yaml";
    static final Map<String, String> SECRETS = Map.of("IAD_PASSWORD", "iad-secret", "LHR_PASSWORD", "lhr-secret",
            "SFO_PASSWORD", "sfo-secret", "SIN_PASSWORD", "sin-secret");

    private DeployedConfig() {
    }

    /** Loads the file with {@link #SECRETS}, a users file, and {@code env} on top. */
    static MeridianConfig load(Map<String, String> env) {
        Path users = null;
        try {
            users = Files.createTempFile("meridian-users-", ".txt");
            Files.writeString(users, "\"app\" \"app-password\"\n");
            Map<String, String> all = new HashMap<>(SECRETS);
            all.put("MERIDIAN_USERS_FILE", users.toString());
            all.putAll(env);
            return ConfigLoader.load(RepoFiles.path(FILE), all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(users);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // A temp file left behind does not change the outcome of a test.
        }
    }
}
