package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.cli.Main;
import dev.meridian.proxy.session.ProxyHeaders;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The three-region proxy configuration of the geo-routing tests (servers iad, lhr, sin and the
 * replica iad-r), and the ways those tests reach it: through a PROXY protocol relay claiming a
 * client address, or through {@code meridian route} on the same configuration.
 */
final class GeoRegions {
    static final String YAML = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}", proxy_protocol: "${PROXY_PROTOCOL}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth: { method: trust }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: primary, user: postgres, password: "${PGPASS}" }
              - { name: iad-r, region: iad, host: 127.0.0.1, port: "${IADR_PORT}", role: replica, user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", role: primary, user: postgres, password: "${PGPASS}" }
              - { name: sin-1, region: sin, host: 127.0.0.1, port: "${SIN_PORT}", role: primary, user: postgres, password: "${PGPASS}" }
            databases:
              eu_orders: { regions: [lhr], backend_database: orders }
              "*":       { prefer: nearest }
            geo:
              mmdb: "${MMDB}"
              networks:
                - { cidr: 203.0.113.0/24, region: sin }
                - { cidr: 198.51.100.0/24, region: iad }
            """;

    /** Client addresses: two from geo.networks, the rest from MaxMind's test City database. */
    static final String LONDON = "81.2.69.142";
    static final String SINGAPORE_OFFICE = "203.0.113.7";
    static final String VIRGINIA_OFFICE = "198.51.100.20";
    static final String CHANGCHUN = "175.16.199.4";
    static final String JAPAN_V6 = "2001:218::7";
    static final String MILTON_WA = "216.160.83.57";

    private final PostgresExtension pg;
    private final ProxyFixture proxy;

    GeoRegions(PostgresExtension pg, ProxyFixture proxy) {
        this.pg = pg;
        this.proxy = proxy;
    }

    /** The variables {@link #YAML} needs, with the PROXY protocol as given. */
    static Map<String, String> env(PostgresExtension pg, String proxyProtocol) throws URISyntaxException {
        Map<String, String> env = new HashMap<>();
        env.put("IAD_PORT", Integer.toString(pg.server("iad").port()));
        env.put("IADR_PORT", Integer.toString(pg.server("iad-r").port()));
        env.put("LHR_PORT", Integer.toString(pg.server("lhr").port()));
        env.put("SIN_PORT", Integer.toString(pg.server("sin").port()));
        env.put("PGPASS", PgServer.SUPERUSER_PASSWORD);
        env.put("PROXY_PROTOCOL", proxyProtocol);
        env.put("MMDB", Path.of(GeoRegions.class.getResource("/geo/GeoLite2-City-Test.mmdb").toURI()).toString());
        return env;
    }

    /** The name of the server a session from {@code clientIp} landed on, by the backend's own port. */
    String landedOn(String clientIp, boolean v2, String database, String options) throws Exception {
        try (ProxyProtocolRelay relay = ProxyProtocolRelay.start(proxy.port(), header(clientIp, v2));
             Connection c = connect(relay, database, options)) {
            return serverWithPort(one(c, "SHOW port"));
        }
    }

    byte[] header(String clientIp, boolean v2) {
        String destination = clientIp.contains(":") ? "::1" : "127.0.0.1"; // a header names one family
        return v2 ? ProxyHeaders.v2(clientIp, 40000, destination, proxy.port())
                : ProxyHeaders.v1(clientIp, 40000, destination, proxy.port());
    }

    static Connection connect(ProxyProtocolRelay relay, String database, String options) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "10");
        if (options != null) {
            p.setProperty("options", options);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + relay.port() + "/" + database, p);
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    String serverWithPort(String port) {
        return pg.servers().stream().filter(s -> Integer.toString(s.port()).equals(port))
                .map(PgServer::name).findFirst().orElseThrow(() -> new AssertionError("no server on port " + port));
    }

    /** Runs {@code meridian route -c file args...}; returns the chosen backend's name. */
    static String chosenByCommand(Path file, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 3];
        all[0] = "route";
        all[1] = "-c";
        all[2] = file.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        assertThat(cli.execute(all)).as("%s%s", out, err).isZero();
        return out.toString().lines().filter(l -> l.startsWith("chosen    ")).findFirst().orElseThrow()
                .substring("chosen    ".length()).split(" ")[0];
    }

    /** The configuration as an operator's file would hold it: this run's ports and paths filled in. */
    Path writeConfig(Path file, Map<String, String> env) throws IOException {
        Map<String, String> vars = new HashMap<>(env);
        vars.put("PROXY_PORT", Integer.toString(proxy.port()));
        vars.put("ADMIN_PORT", Integer.toString(proxy.adminPort()));
        String text = YAML;
        for (var e : vars.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        return Files.writeString(file, text);
    }

    /** The first column of a DataRow body. */
    static String firstValue(RawClient.Message dataRow) {
        ByteBuffer b = ByteBuffer.wrap(dataRow.body());
        b.getShort();
        byte[] value = new byte[b.getInt()];
        b.get(value);
        return new String(value, StandardCharsets.UTF_8);
    }
}
