package dev.meridian.proxy.e2e;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.server.MeridianServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** A real Meridian server, in this JVM, on a free port, configured from YAML text. */
final class ProxyFixture implements AutoCloseable {
    private final MeridianServer server;
    private final Map<String, String> vars;

    private ProxyFixture(MeridianServer server, Map<String, String> vars) {
        this.server = server;
        this.vars = vars;
    }

    /** {@code ${PROXY_PORT}} in the YAML is replaced by a free port; {@code env} adds variables. */
    static ProxyFixture start(String yaml, Map<String, String> env) throws Exception {
        Map<String, String> vars = new HashMap<>(env);
        vars.put("PROXY_PORT", Integer.toString(freePort()));
        vars.put("ADMIN_PORT", Integer.toString(freePort()));
        MeridianConfig config = ConfigLoader.parse(yaml, vars, Path.of("."));
        return new ProxyFixture(new MeridianServer(config).start(), vars);
    }

    /** A hot reload to {@code yaml}, with the same ports and variables plus {@code env}. */
    void reload(String yaml, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(vars);
        all.putAll(env);
        server.apply(ConfigLoader.parse(yaml, all, Path.of(".")));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int port() {
        return server.port();
    }

    MeridianServer server() {
        return server;
    }

    int adminPort() {
        return server.admin().port();
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    Connection connect(String database, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    @Override
    public void close() {
        server.close();
    }
}
