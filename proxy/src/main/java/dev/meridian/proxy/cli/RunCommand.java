package dev.meridian.proxy.cli;

import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.server.ConfigReloader;
import dev.meridian.proxy.server.MeridianServer;
import dev.meridian.proxy.server.Signals;
import dev.meridian.proxy.server.StartupFailure;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meridian run -c FILE}: serve. SIGHUP re-reads the file (see {@link ConfigReloader});
 * SIGTERM/SIGINT drain ({@link MeridianServer#drain}) and exit 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Serve (the default command).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "On SIGTERM/SIGINT: how long sessions may finish before they get 57P01 (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Override
    public Integer call() throws InterruptedException {
        MeridianConfig loaded;
        try {
            loaded = ConfigLoader.load(config.file);
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            return 1;
        }
        MeridianServer server;
        try {
            server = new MeridianServer(loaded);
        } catch (java.io.IOException e) {
            System.err.println("meridian: cannot start: " + e.getMessage());
            return 1;
        }
        ConfigReloader reloader = new ConfigReloader(config.file, server);
        server.context().reloader(reloader::reload);
        server.context().ops().control().drainTimeout(drainTimeout); // SHUTDOWN on the console drains as SIGTERM does
        // Handlers first, then the port: a SIGHUP that arrives as soon as clients can connect
        // must reload, not end the JVM (its default for HUP).
        Signals.onHangup(reloader::reload);
        Signals.onTerminate(() -> {
            server.drain(drainTimeout);
            server.close();
            System.exit(0);
        });
        try {
            server.start();
        } catch (StartupFailure e) {
            // Nothing is serving yet: exiting ends the event loops; close() would only add log lines.
            System.err.println("meridian: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "meridian-shutdown"));
        server.awaitClose();
        return 0;
    }
}
