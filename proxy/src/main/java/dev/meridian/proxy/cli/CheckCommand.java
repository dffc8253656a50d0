package dev.meridian.proxy.cli;

import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.ConfigWarnings;
import dev.meridian.proxy.tls.KeyPairCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import dev.meridian.proxy.session.TrustPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code meridian check -c FILE}: every problem on its own line with its path; exit 1 if any.
 * Settings that load but cannot work as meant are {@code warning:} lines, exit 0.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a configuration file.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        return check(config.file, System.getenv(), System.out, System.err);
    }

    /** The whole command with an explicit environment and streams (tests check examples with it). */
    static int check(Path file, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            var loaded = ConfigLoader.load(file, env);
            if (loaded.tls() != null) {
                try {
                    KeyPairCheck.requireMatch(loaded.tls().cert().toFile(), loaded.tls().key().toFile());
                } catch (GeneralSecurityException e) {
                    err.println("tls.key: " + e.getMessage());
                    return 1;
                }
            }
            ConfigWarnings.of(loaded).forEach(w -> err.println("warning: " + w));
            out.println(file + ": OK (" + loaded.backends().size() + " backends, "
                    + loaded.databases().size() + " database rules)");
            out.println(TrustPolicy.describe(loaded.auth()));
            return 0;
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        }
    }
}
