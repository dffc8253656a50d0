package dev.meridian.proxy.cli;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.pooling.PoolModeChoice;
import dev.meridian.proxy.routing.ClientAddress;
import dev.meridian.proxy.routing.DecisionText;
import dev.meridian.proxy.routing.HealthSnapshot;
import dev.meridian.proxy.routing.RouteDecision;
import dev.meridian.proxy.routing.RouteRequest;
import dev.meridian.proxy.routing.Router;
import dev.meridian.proxy.routing.SessionTarget;
import io.netty.util.NetUtil;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code meridian route -c FILE --database D [--user U] [--client-ip IP] [--read-only] [--region X]}:
 * the proxy's own routing decision, explained, without connecting anywhere. Health is unknown
 * offline, so every backend counts as up with its configured role, as the proxy does before its
 * first health check. Exit 0 with a chosen backend; 1 when the proxy would refuse the session
 * (the refusal is printed as the client would see it) or the configuration does not load.
 */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Explain the routing decision for a session, without connecting.")
final class RouteCommand implements Callable<Integer> {
    static final String OFFLINE_HEALTH = "unknown offline: every backend assumed up, roles as configured";

    @Mixin
    ConfigOption config;

    @Option(names = "--database", required = true, paramLabel = "D", description = "The database the client asks for.")
    String database;

    @Option(names = "--user", paramLabel = "U", description = "The client's user name (shows who logs in to the backend).")
    String user;

    @Option(names = "--client-ip", paramLabel = "IP", description = "The client's address, as a PROXY header would report it.")
    String clientIp;

    @Option(names = "--read-only", description = "As if the client sent options=-c meridian.target=read-only.")
    boolean readOnly;

    @Option(names = "--region", paramLabel = "X", description = "As if the client sent options=-c meridian.region=X.")
    String region;

    @Option(names = "--transaction-port", description = "As if the client connected to listen.transaction_port.")
    boolean transactionPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClientAddress client = clientAddress();
        try {
            MeridianConfig loaded = ConfigLoader.load(config.file);
            Router router = Router.open(loaded);
            RouteDecision decision = router.route(request(client), HealthSnapshot.assumeUp(loaded.backends()));
            out.print(DecisionText.table(decision, OFFLINE_HEALTH));
            if (decision.ranked().isEmpty()) {
                refuse(err, Router.noBackend(decision));
                return 1;
            }
            out.println("login     as " + loginUser(decision.ranked().get(0).backend()));
            PoolModeChoice pooling = PoolModeChoice.of(loaded, decision.rule(), transactionPort, false);
            out.println("pooling   " + pooling.text());
            if (decision.target() == SessionTarget.AUTO) {
                out.println("reads     " + readsText(router, decision, pooling.transaction(),
                        HealthSnapshot.assumeUp(loaded.backends())));
            }
            return 0;
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (ProtocolException e) {
            refuse(err, e);
            return 1;
        }
    }

    /** What target: auto does for this database: which replicas take its read-only transactions. */
    private static String readsText(Router router, RouteDecision decision, boolean transactionMode,
            HealthSnapshot health) {
        if (!transactionMode) {
            return "target auto in session mode behaves as read-write: every transaction runs on the primary"
                    + " (per-transaction read routing needs pool_mode: transaction)";
        }
        var replicas = router.replicas(decision, health);
        String order = replicas.isEmpty() ? "none (no backend with role: replica in the database's regions;"
                + " a role: auto backend counts once a health check saw it in recovery)"
                : String.join(", ", replicas.stream().map(c -> c.backend().name() + " (" + c.region() + ")").toList());
        return "read-only transactions go to the first of " + order + " that is within health.max_replica_lag and"
                + " has replayed the client's own writes (else the primary: " + decision.ranked().get(0).backend().name()
                + "); all other transactions go to the primary";
    }

    private RouteRequest request(ClientAddress client) {
        Map<String, String> options = new HashMap<>();
        if (readOnly) {
            options.put(RouteRequest.TARGET_OPTION, SessionTarget.READ_ONLY.label());
        }
        if (region != null) {
            options.put(RouteRequest.REGION_OPTION, region);
        }
        return RouteRequest.of(database, client, options);
    }

    private ClientAddress clientAddress() {
        if (clientIp == null) {
            return null;
        }
        // A literal only: a host name here would be resolved, which the proxy never does.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(clientIp);
        if (address == null) {
            throw new ParameterException(spec.commandLine(), "--client-ip: not an IP address: " + clientIp);
        }
        return new ClientAddress(address, ClientAddress.Origin.COMMAND_LINE);
    }

    private String loginUser(BackendConfig backend) {
        if (backend.user() != null) {
            return backend.user() + " (the backend's configured user)";
        }
        return user == null ? "the client's own user" : user + " (the client's own user)";
    }

    private static void refuse(PrintWriter err, ProtocolException e) {
        err.println("FATAL " + e.sqlState() + " " + e.getMessage());
    }
}
