package dev.meridian.proxy.cli;

import dev.meridian.proxy.demo.Demo;
import dev.meridian.proxy.demo.DemoBanner;
import dev.meridian.proxy.demo.DemoException;
import dev.meridian.proxy.demo.DemoPorts;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian demo}: three local PostgreSQL servers as regions iad, lhr and sin, the proxy in
 * front, psql lines to try; Ctrl-C (or SIGTERM) stops everything and deletes the data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Try it: three throwaway local PostgreSQL servers (iad, lhr, sin) behind the proxy.",
                "Ctrl-C stops everything and deletes their data."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DemoPorts.DEFAULT_PROXY,
            description = "PostgreSQL port of the proxy (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "" + DemoPorts.DEFAULT_ADMIN,
            description = "Admin HTTP port: /health, /metrics (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Override
    public Integer call() throws InterruptedException {
        Demo demo;
        try {
            demo = Demo.start(new DemoPorts(port, adminPort), System.out);
        } catch (DemoException e) {
            System.err.println("meridian demo: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("meridian demo: could not start: " + e.getMessage());
            return 1;
        }
        // Ctrl-C and SIGTERM both run shutdown hooks; this one is the demo's only way out.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(demo), "meridian-demo-stop"));
        DemoBanner.print(demo, System.out);
        demo.awaitClose();
        return 0;
    }

    private static void stop(Demo demo) {
        System.out.println();
        System.out.println("Stopping the proxy and the servers ...");
        demo.close();
        List<String> left = demo.leftovers();
        if (left.isEmpty()) {
            System.out.println("Stopped; removed " + demo.directory());
        } else {
            System.err.println("meridian demo: could not remove " + String.join(", ", left));
        }
        System.out.flush();
    }
}
