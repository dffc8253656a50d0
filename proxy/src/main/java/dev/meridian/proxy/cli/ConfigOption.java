package dev.meridian.proxy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code -c/--config} option shared by the commands that read a configuration file. Without
 * it, {@code MERIDIAN_CONFIG} names the file: a container image sets it once for every command.
 */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:MERIDIAN_CONFIG:-meridian.yaml}",
            description = "Configuration file (default: ${DEFAULT-VALUE}; $MERIDIAN_CONFIG when set).")
    Path file;
}
