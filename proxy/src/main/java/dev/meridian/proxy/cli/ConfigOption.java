package dev.meridian.proxy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c/--config} option shared by the commands that read a configuration file. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "meridian.yaml",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path file;
}
