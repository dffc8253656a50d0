package dev.meridian.proxy.cli;

import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.server.ConfigReloader;
import dev.meridian.proxy.server.MeridianServer;
import dev.meridian.proxy.server.Signals;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code meridian run -c FILE}: serve until SIGTERM/SIGINT, then stop accepting and close;
 * SIGHUP re-reads the file (see {@link ConfigReloader}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Serve (the default command).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        MeridianConfig loaded;
        try {
            loaded = ConfigLoader.load(config.file);
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            return 1;
        }
        MeridianServer server = new MeridianServer(loaded).start();
        ConfigReloader reloader = new ConfigReloader(config.file, server);
        server.context().reloader(reloader::reload);
        Signals.onHangup(reloader::reload);
        Thread stopper = new Thread(server::close, "meridian-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        server.awaitClose();
        return 0;
    }
}
