package dev.meridian.proxy.cli;

import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code meridian check -c FILE}: every problem on its own line with its path; exit 1 if any. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a configuration file.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        try {
            var loaded = ConfigLoader.load(config.file);
            System.out.println(config.file + ": OK (" + loaded.backends().size() + " backends, "
                    + loaded.databases().size() + " database rules)");
            return 0;
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            return 1;
        }
    }
}
