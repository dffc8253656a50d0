package dev.meridian.proxy.demo;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.localpg.LocalCluster;
import dev.meridian.proxy.localpg.PgBinaries;
import dev.meridian.proxy.localpg.PgWorkspace;
import dev.meridian.proxy.server.ConfigReloader;
import dev.meridian.proxy.server.MeridianServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code meridian demo}: three throwaway PostgreSQL servers as regions, the proxy in front, all
 * in one scratch directory that {@link #close()} deletes.
 *
 * <pre>
 *   psql ──▶ Meridian 127.0.0.1:6432 ──┬──▶ iad  (demo_iad, cluster_name=iad)
 *            admin    127.0.0.1:9187   ├──▶ lhr  (demo_lhr, cluster_name=lhr)
 *                                      └──▶ sin  (demo_sin, cluster_name=sin)
 * </pre>
 */
public final class Demo implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PgWorkspace workspace;
    private final DemoServers servers;
    private final MeridianServer proxy;
    private final Path configFile;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private Demo(PgWorkspace workspace, DemoServers servers, MeridianServer proxy, Path configFile) {
        this.workspace = workspace;
        this.servers = servers;
        this.proxy = proxy;
        this.configFile = configFile;
    }

    /** Starts everything, or fails having removed whatever it had started. */
    public static Demo start(DemoPorts ports, PrintStream progress) {
        ports.requireFree();
        PgBinaries binaries = PgBinaries.find().orElseThrow(() -> new DemoException(
                "meridian demo needs the PostgreSQL server binaries on this machine. " + PgBinaries.INSTALL_HINT));
        PgWorkspace workspace = PgWorkspace.create(binaries, randomSecret());
        try {
            String password = randomSecret();
            DemoServers servers = DemoServers.start(workspace, password, progress);
            Path configFile = writeConfig(workspace.root(), ports, servers);
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put(DemoConfig.PASSWORD_ENV, password);
            MeridianServer proxy = startProxy(ConfigLoader.load(configFile, env));
            // RELOAD on the console re-reads the written file, with the password still from memory.
            ConfigReloader reloader = new ConfigReloader(configFile, proxy, env);
            proxy.context().reloader(reloader::reload);
            return new Demo(workspace, servers, proxy, configFile);
        } catch (RuntimeException | Error e) {
            workspace.close();
            throw e;
        }
    }

    private static Path writeConfig(Path dir, DemoPorts ports, DemoServers servers) {
        Map<String, Integer> backendPorts = new LinkedHashMap<>();
        DemoServers.REGIONS.forEach(region -> backendPorts.put(region, servers.port(region)));
        try {
            return Files.writeString(dir.resolve("meridian.yaml"), DemoConfig.yaml(ports, backendPorts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MeridianServer startProxy(MeridianConfig config) {
        MeridianServer proxy;
        try {
            proxy = new MeridianServer(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the demo configures no file the proxy would read
        }
        try {
            return proxy.start();
        } catch (InterruptedException e) {
            proxy.close();
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted while starting the proxy", e);
        } catch (RuntimeException e) {
            proxy.close(); // the port was free a moment ago; someone took it since
            throw new DemoException("the proxy cannot listen on " + config.listen().host() + ":"
                    + config.listen().port() + " or " + config.admin().port() + ": " + e.getMessage(), e);
        }
    }

    /** A password nobody types: the demo's users never need it, the proxy reads it from memory. */
    private static String randomSecret() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public int proxyPort() {
        return proxy.port();
    }

    public int adminPort() {
        return proxy.admin().port();
    }

    public Path configFile() {
        return configFile;
    }

    /** The scratch directory holding every server's files and the configuration. */
    public Path directory() {
        return workspace.root();
    }

    public List<LocalCluster> servers() {
        return servers.clusters();
    }

    public List<DemoQuery> queries() {
        return DemoQuery.all();
    }

    /** Blocks until {@link #close()} has finished, e.g. in a shutdown hook. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops the proxy, then the servers, then deletes the scratch directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            proxy.close();
            servers.stop();
            workspace.close();
        } finally {
            closed.countDown();
        }
    }

    /** After {@link #close()}: what should be gone but is not (files, listening ports); empty when clean. */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        if (Files.exists(directory())) {
            left.add(directory().toString());
        }
        for (LocalCluster server : servers()) {
            if (server.acceptsConnections()) {
                left.add("a server still listening on " + LocalCluster.HOST + ":" + server.port());
            }
        }
        return left;
    }
}
