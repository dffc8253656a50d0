package dev.meridian.proxy.server;

import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload (SIGHUP, or RELOAD on the admin console): re-reads the configuration file with the
 * same loader and messages as {@code meridian check}. A valid file serves every new session
 * from then on; sessions in flight keep the backend they have. A bad file is refused, its
 * problems logged, and the old configuration keeps serving.
 */
public final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final MeridianServer server;
    private final Map<String, String> env;

    public ConfigReloader(Path file, MeridianServer server) {
        this(file, server, System.getenv());
    }

    /** With a fixed environment: the demo keeps its backends' password in memory only. */
    public ConfigReloader(Path file, MeridianServer server, Map<String, String> env) {
        this.file = file;
        this.server = server;
        this.env = Map.copyOf(env);
    }

    public synchronized ReloadOutcome reload() {
        MeridianConfig next;
        try {
            next = ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            e.problems().forEach(p -> LOG.error("reload refused: {}", p));
            return new ReloadOutcome(false, e.problems());
        }
        MeridianConfig current = server.context().config();
        List<String> notes = restartOnlyChanges(current, next);
        notes.forEach(n -> LOG.warn("reload: {}", n));
        try {
            server.apply(next);
        } catch (java.io.IOException e) {
            LOG.error("reload refused: {}", e.getMessage());
            return new ReloadOutcome(false, List.of(e.getMessage()));
        }
        LOG.info("configuration reloaded from {}: {} backends, {} database rules", file,
                next.backends().size(), next.databases().size());
        return new ReloadOutcome(true, notes);
    }

    /** Settings a running process cannot change: they take effect at the next restart. */
    static List<String> restartOnlyChanges(MeridianConfig current, MeridianConfig next) {
        List<String> notes = new java.util.ArrayList<>();
        if (!Objects.equals(current.listen(), next.listen())) {
            notes.add("listen: changed; the new address takes effect after a restart");
        }
        if (!Objects.equals(current.admin().host(), next.admin().host())
                || current.admin().port() != next.admin().port()) {
            notes.add("admin: host/port changed; takes effect after a restart");
        }
        if (!current.cluster().instance().equals(next.cluster().instance())) {
            notes.add("cluster.instance: changed; cancel keys name the old id until a restart");
        }
        return notes;
    }
}
