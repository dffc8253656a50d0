package dev.meridian.proxy.server;

import dev.meridian.proxy.auth.AuthQuery;
import dev.meridian.proxy.auth.AuthQueryShared;
import dev.meridian.proxy.auth.UserDirectory;
import dev.meridian.proxy.auth.UsersFile;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.health.ConnectionBudget;
import dev.meridian.proxy.backend.health.HealthMonitor;
import dev.meridian.proxy.tls.ClientTls;
import java.io.IOException;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.edge.EdgeServer;
import dev.meridian.proxy.server.admin.AdminResponse;
import dev.meridian.proxy.server.admin.AdminServer;
import dev.meridian.proxy.server.admin.ReadyRoute;
import dev.meridian.proxy.server.admin.RoutesRoute;
import dev.meridian.proxy.server.admin.StatusPage;
import dev.meridian.proxy.ops.ServerControl;
import dev.meridian.proxy.session.ClientPipeline;
import dev.meridian.proxy.session.ProxyContext;
import dev.meridian.proxy.session.Shutdown;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's listening sockets and event loops: one worker loop per core, each accepting on its
 * own {@code SO_REUSEPORT} socket (epoll; elsewhere one acceptor thread hands connections to the
 * loops); a session's client and backend channels both live on the loop that accepted the client.
 */
public final class MeridianServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeridianServer.class);
    private final AtomicBoolean closing = new AtomicBoolean();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Transport transport = Transport.best();
    private final ProxyContext context;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final AdminServer admin;
    /** The {@code edge:} HTTP/WebSocket listener, or null when none is configured. */
    private EdgeServer edge;
    /** One listening socket per event loop (SO_REUSEPORT) where epoll allows it, else one. */
    private final List<Channel> listeners = new ArrayList<>();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    /** auth_query budgets and outcome counts, kept across reloads. */
    private final AuthQueryShared authQueries = new AuthQueryShared();

    /**
     * @throws IOException when the TLS certificate or the users file cannot be read
     */
    public MeridianServer(MeridianConfig config) throws IOException {
        this.boss = transport.newGroup(1, "meridian-accept");
        // One loop per core by default, as HAProxy runs one thread per core: a session never changes
        // thread. -Dmeridian.io.threads=N overrides it (see bench/RESULTS.md for its effect).
        this.workers = transport.newGroup(Integer.getInteger("meridian.io.threads",
                Runtime.getRuntime().availableProcessors()), "meridian-io");
        BackendConnector connector = new BackendConnector(transport, (int) config.limits().maxMessageBytes(),
                CONNECT_TIMEOUT, config.limits().startupTimeout());
        this.context = new ProxyContext(config, transport, connector, users(config, connector, authQueries),
                config.tls() == null ? null : ClientTls.load(config.tls()),
                HealthMonitor.forConfig(config, transport, workers));
        authQueries.bind(context.metrics().registry());
        context.healthMonitor().budget((b, facts) -> ConnectionBudget.warning(b, facts, context.config()));
        this.admin = new AdminServer(transport, boss)
                .route("/health", req -> AdminResponse.text(200, "ok\n"))
                .route("/ready", new ReadyRoute(context))
                .route("/routes", new RoutesRoute(context))
                .route("/metrics", context.metrics().scrapeRoute());
        StatusPage.install(admin, context);
        context.ops().control(new ServerControl(clients, timeout -> {
            drain(timeout);
            close();
        }));
    }

    private static UserDirectory users(MeridianConfig config, BackendConnector connector, AuthQueryShared authQueries)
            throws IOException {
        UserDirectory users = config.auth().usersFile() == null ? UserDirectory.NONE : new UsersFile(config.auth().usersFile());
        if (config.auth().authQuery() != null) {
            users = UserDirectory.chain(users, new AuthQuery(config.auth().authQuery(), connector,
                    config.auth().authQueryLimits(), authQueries));
        }
        return users;
    }

    /**
     * Puts a new configuration in force for new sessions (hot reload). Files it names (users
     * file, TLS certificate) are read first; if one fails nothing changes.
     */
    public void apply(MeridianConfig next) throws IOException {
        UserDirectory users = users(next, context.connector(), authQueries);
        ClientTls tls = next.tls() == null ? null : ClientTls.load(next.tls());
        // Health first: when new sessions see a new backend, its health is already known.
        context.healthMonitor().reconfigure(next.backends(), next.health());
        context.replace(next, users, tls);
        context.pool().reconfigure(next);
    }

    /**
     * Binds the listen address; returns once the port accepts connections.
     *
     * @throws StartupFailure when a port cannot be bound (one line naming it)
     */
    public MeridianServer start() throws InterruptedException {
        context.healthMonitor().start();
        context.pool().keepWarm(workers, context::health, context.config());
        var listen = context.config().listen();
        var pipeline = new ClientPipeline(context, clients);
        bindAll("listen.port", listen.host(), listen.port(), pipeline, false);
        if (listen.transactionPort() != null) {
            bindAll("listen.transaction_port", listen.host(), listen.transactionPort(), pipeline, true);
        }
        if (context.config().edge() != null) {
            edge = EdgeServer.start(context, transport, boss, workers, pipeline);
        }
        var adminConfig = context.config().admin();
        admin.start(adminConfig.host(), adminConfig.port());
        LOG.info("Meridian listening on {} ({} transport, {} acceptor{}), admin on {}:{}",
                listeners.get(0).localAddress(), transport.name(), listeners.size(),
                listeners.size() == 1 ? "" : "s", adminConfig.host(), admin.port());
        return this;
    }

    /** Binds one port; {@code transactionPooled}: every session accepted there is transaction-pooled. */
    private void bindAll(String key, String host, int port, ClientPipeline pipeline, boolean transactionPooled) {
        if (transport.reusePort() && !Boolean.getBoolean("meridian.single.acceptor")) {
            // Each loop accepts on a socket of its own and keeps the connections it accepts: the
            // kernel spreads new connections over the sockets, and no connection is handed from an
            // acceptor thread to a worker thread (one wake-up and one context switch less each).
            if (port != 0) {
                ListenPorts.ensureFree(key, host, port);
            }
            for (EventExecutor executor : workers) {
                EventLoop loop = (EventLoop) executor;
                Channel ch = ListenPorts.bind(key, bootstrap(loop, loop, pipeline, transactionPooled)
                        .option(transport.reusePortOption(), true), host, port);
                listeners.add(ch);
                port = ((InetSocketAddress) ch.localAddress()).getPort(); // port 0: the rest share the first one's
            }
        } else {
            listeners.add(ListenPorts.bind(key, bootstrap(boss, workers, pipeline, transactionPooled), host, port));
        }
    }

    private ServerBootstrap bootstrap(EventLoopGroup parent, EventLoopGroup children, ClientPipeline pipeline,
                                      boolean transactionPooled) {
        return new ServerBootstrap()
                .childAttr(ClientPipeline.TRANSACTION_PORT, transactionPooled)
                .group(parent, children)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(pipeline);
    }

    public int port() {
        return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    private void closeListeners() {
        listeners.forEach(ch -> ch.close().awaitUninterruptibly());
        if (edge != null) {
            edge.close();
        }
    }

    /** The edge listener's port; -1 when there is no {@code edge:} listener. */
    public int edgePort() {
        return edge == null ? -1 : edge.port();
    }

    public AdminServer admin() {
        return admin;
    }

    /** auth_query connection budgets and outcome counts. */
    public AuthQueryShared authQueries() {
        return authQueries;
    }

    public ProxyContext context() {
        return context;
    }

    /** Blocks until {@link #close()} has finished (a drain closes the listener long before that). */
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    /**
     * Graceful drain: {@code /ready} answers 503 at once and the listener stops accepting;
     * sessions in flight get up to {@code timeout} to finish; those still open are then told
     * FATAL 57P01 and closed. Returns how many had to be terminated.
     */
    public int drain(Duration timeout) {
        context.draining(true);
        closeListeners();
        LOG.info("draining: {} client connections, up to {} ms", clients.size(), timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = clients.size();
        if (left > 0) {
            LOG.info("drain time over: terminating {} sessions", left);
            clients.forEach(ch -> ch.pipeline().fireUserEventTriggered(Shutdown.INSTANCE));
            clients.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        return left;
    }

    /**
     * Stops accepting, closes every client session, and shuts the event loops down. Only the first
     * call does anything: SIGTERM closes after the drain and the JVM's shutdown hook closes again.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeListeners();
        admin.close();
        context.healthMonitor().close();
        context.pool().stopKeepingWarm();
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        context.metrics().close();
        LOG.info("Meridian stopped");
        stopped.countDown();
    }
}
