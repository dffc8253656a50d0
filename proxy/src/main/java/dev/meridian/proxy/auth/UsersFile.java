package dev.meridian.proxy.auth;

import dev.meridian.proxy.config.FileChangeCheck;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A users file in PgBouncer's {@code auth_file} format: one user per line,
 * {@code "name" "secret"}, a doubled quote inside a field stands for one quote; blank lines and
 * lines starting with {@code ;} or {@code #} are ignored.
 *
 * <p>The file is re-read when its modification time changes (checked at most once a second, on
 * lookup), so credentials can be rotated without a restart. A file that fails to parse is
 * logged once and the previous contents keep serving.
 */
public final class UsersFile implements UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UsersFile.class);
    private final Path file;
    private final FileChangeCheck changes;
    private volatile Map<String, UserSecret> users;

    public UsersFile(Path file) throws IOException {
        this.file = file;
        this.changes = new FileChangeCheck(file);
        this.users = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Override
    public Future<Optional<UserSecret>> lookup(String user, LookupScope scope) {
        return scope.loop().newSucceededFuture(find(user));
    }

    /** The user's secret from the file as it is now (re-read first if it changed). */
    public Optional<UserSecret> find(String user) {
        reloadIfChanged();
        return Optional.ofNullable(users.get(user));
    }

    public int size() {
        return users.size();
    }

    private void reloadIfChanged() {
        try {
            if (changes.changed()) {
                users = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
                LOG.info("users file {} reloaded: {} users", file, users.size());
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("users file {} not reloaded, previous contents keep serving: {}", file, e.getMessage());
        }
    }

    /** Parses the whole file; the error names the line, never its secret. */
    static Map<String, UserSecret> parse(List<String> lines) {
        Map<String, UserSecret> result = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            List<String> fields = QuotedFields.split(line);
            if (fields == null || fields.size() < 2) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected \"name\" \"secret\"");
            }
            try {
                result.put(fields.get(0), UserSecret.parse(fields.get(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": malformed SCRAM verifier for user \""
                        + fields.get(0) + "\"");
            }
        }
        return Map.copyOf(result);
    }
}
