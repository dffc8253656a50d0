package dev.meridian.proxy.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real PostgreSQL servers for a test class and removes them afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension PG = PostgresExtension.builder()
 *         .server("iad").server("lhr").replica("iad-replica", "iad").build();
 * ...
 * PgServer iad = PG.server("iad");
 * }</pre>
 *
 * Register it on a <b>static</b> field: servers live for the whole class, including its
 * {@code @Nested} classes. Primaries start in parallel, replicas after their source.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private static final int MAX_PARALLEL_STARTS = 4;

    private final Map<String, String> sourceByName; // null source for primaries, in declared order
    private final Map<String, PgServer> servers = new ConcurrentHashMap<>();
    private volatile String ownerContextId;

    private PostgresExtension(Map<String, String> sourceByName) {
        this.sourceByName = sourceByName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The running server declared under {@code name}. */
    public PgServer server(String name) {
        PgServer server = servers.get(name);
        if (server == null) {
            throw new IllegalStateException(sourceByName.containsKey(name)
                    ? "server '" + name + "' is not running: register PostgresExtension on a static field"
                    : "no server named '" + name + "'; declared: " + sourceByName.keySet());
        }
        return server;
    }

    /** All running servers in declaration order. */
    public List<PgServer> servers() {
        return sourceByName.keySet().stream().filter(servers::containsKey).map(servers::get).toList();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ownerContextId != null) {
            return; // a @Nested class inherits the extension; its servers are already running
        }
        ownerContextId = context.getUniqueId();
        try {
            PgServerFactory factory = PgServerFactory.detect();
            startPrimaries(factory);
            sourceByName.forEach((name, source) -> {
                if (source != null) {
                    servers.put(name, factory.replica(name, server(source)));
                }
            });
        } catch (RuntimeException | Error e) {
            closeAll(e);
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(ownerContextId)) {
            ownerContextId = null;
            RuntimeException failure = new IllegalStateException("could not remove all servers");
            closeAll(failure);
            if (failure.getSuppressed().length > 0) {
                throw failure;
            }
        }
    }

    private void startPrimaries(PgServerFactory factory) {
        List<String> names = sourceByName.keySet().stream()
                .filter(name -> sourceByName.get(name) == null).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(names.size(), MAX_PARALLEL_STARTS));
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (String name : names) {
                starts.add(pool.submit(() -> servers.put(name, factory.primary(name))));
            }
            awaitAll(starts);
        } finally {
            pool.shutdown();
        }
    }

    /** Waits for every start, even after one failed, so that no server starts after cleanup. */
    private static void awaitAll(List<Future<?>> starts) {
        RuntimeException failure = null;
        for (Future<?> start : starts) {
            try {
                start.get();
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                        ? runtime : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting servers", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes replicas before their sources so they do not log a storm of reconnect errors. */
    private void closeAll(Throwable collector) {
        List<String> names = new ArrayList<>(sourceByName.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            PgServer server = servers.remove(names.get(i));
            if (server != null) {
                try {
                    server.close();
                } catch (RuntimeException e) {
                    collector.addSuppressed(e);
                }
            }
        }
    }

    /** Declares servers; names must be unique and a replica's source must be declared first. */
    public static final class Builder {

        private final Map<String, String> sourceByName = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder server(String name) {
            return add(name, null);
        }

        public Builder replica(String name, String sourceName) {
            if (!sourceByName.containsKey(sourceName)) {
                throw new IllegalArgumentException("replica '" + name + "' of undeclared server '"
                        + sourceName + "'; declare the source first");
            }
            return add(name, sourceName);
        }

        private Builder add(String name, String sourceName) {
            if (name == null || name.isBlank() || sourceByName.containsKey(name)) {
                throw new IllegalArgumentException("server names must be unique and non-blank: " + name);
            }
            sourceByName.put(name, sourceName);
            return this;
        }

        public PostgresExtension build() {
            if (sourceByName.isEmpty()) {
                throw new IllegalStateException("declare at least one server");
            }
            return new PostgresExtension(new LinkedHashMap<>(sourceByName));
        }
    }
}
