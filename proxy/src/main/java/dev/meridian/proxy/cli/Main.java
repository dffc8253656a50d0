package dev.meridian.proxy.cli;

import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code meridian [run|check|...]}: with no subcommand, {@code run}. */
@Command(name = "meridian", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Region-aware PostgreSQL wire-protocol proxy.",
        subcommands = {RunCommand.class, CheckCommand.class, DemoCommand.class, RouteCommand.class,
                ScramSecretCommand.class, HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        quietLeakDetector();
        System.exit(execute(args));
    }

    /**
     * Netty's default leak detection ({@code simple}) records a stack trace for about one buffer
     * in 128, on the relay's hot path; the test suite runs {@code paranoid}, so the shipped proxy
     * runs without it unless {@code -Dio.netty.leakDetection.level} asks for it.
     */
    static void quietLeakDetector() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Runs the command line; {@code run} is implied when the first argument is not a subcommand. */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        if (args.length == 0 || (!cli.getSubcommands().containsKey(args[0]) && args[0].startsWith("-")
                && !args[0].equals("-h") && !args[0].equals("--help") && !args[0].equals("-V")
                && !args[0].equals("--version"))) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            args = withRun;
        }
        return cli.execute(args);
    }

    /**
     * The command line as shipped. Usage is 100 columns wide: at picocli's default 80, the long
     * synopsis of {@code route} broke inside {@code [--client-ip=IP]}; usage is never split
     * inside an option and its value ({@code splitSynopsisLabels} keeps {@code --x=VALUE} whole).
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setUsageHelpWidth(USAGE_WIDTH);
        return cli;
    }

    static final int USAGE_WIDTH = 100;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
