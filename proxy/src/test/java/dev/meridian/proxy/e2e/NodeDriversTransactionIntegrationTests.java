package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 with real JavaScript drivers: 500 clients at once through transaction mode over at
 * most 10 backend connections: node-postgres ({@code pg}, named {@code {name, text, values}}
 * queries, unnamed parameterised ones, plain queries, a SET) and postgres.js (its own named
 * prepared statements, {@code prepare: true}, {@code sql.begin} transactions). Zero errors, and
 * every client's results equal to the same script run straight against PostgreSQL. The
 * drivers are installed with npm into {@code target/npm-txn} (pinned; only the npm registry
 * is needed); the script is {@code src/test/resources/node/txn-drivers.js}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class NodeDriversTransactionIntegrationTests {
    static final String PG_DRIVER = "pg@8.23.1";
    static final String POSTGRES_JS = "postgres@3.4.10";
    static final int CLIENTS = 500;
    static final int POOL = 10;

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    private static final Path NPM = Path.of("target", "npm-txn").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    static ProxyFixture proxy;
    static Connection direct;

    @BeforeAll
    static void setUp() throws Exception {
        if (!Files.isDirectory(NPM.resolve("node_modules/pg")) || !Files.isDirectory(NPM.resolve("node_modules/postgres"))) {
            Files.createDirectories(NPM);
            Files.writeString(NPM.resolve("package.json"), "{\"name\":\"meridian-txn-tests\",\"private\":true}\n");
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", NPM.toString(), PG_DRIVER, POSTGRES_JS), 240, null);
        }
        try (InputStream script = NodeDriversTransactionIntegrationTests.class.getResourceAsStream("/node/txn-drivers.js")) {
            Files.write(NPM.resolve("txn-drivers.js"), script.readAllBytes());
        }
        // A generous health timeout: 500 node clients and PostgreSQL share two loaded cores, and a
        // health check that times out would take the only backend down (57P03 for everyone).
        proxy = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: " + POOL + " }",
                "health: { interval: 10s, timeout: 10s }");
        direct = PG.server("iad").connect("postgres");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (direct != null) {
            try (Statement s = direct.createStatement()) {
                s.execute("DROP TABLE IF EXISTS js_txn");
            }
            direct.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void nodePostgresNamedQueriesFromFiveHundredClientsOverTenConnections() throws Exception {
        sameAsDirect("pg");
    }

    @Test
    void postgresJsPreparedTransactionsFromFiveHundredClientsOverTenConnections() throws Exception {
        sameAsDirect("postgres");
    }

    private static void sameAsDirect(String driver) throws Exception {
        freshTable();
        JsonNode expected = script(driver, PG.server("iad").port(), 50, PgServer.SUPERUSER_PASSWORD);
        assertThat(expected.get("errors")).as("errors straight against PostgreSQL").isEmpty();
        freshTable();
        BackendConnectionSampler sampler = new BackendConnectionSampler(PG.server("iad"), BackendConnectionSampler.pid(direct));
        JsonNode through;
        try {
            through = script(driver, proxy.port(), CLIENTS, null);
        } finally {
            int most = sampler.stop();
            assertThat(most).as("backend connections open at once").isBetween(1, POOL);
        }
        assertThat(through.get("errors")).as("errors through transaction mode").isEmpty();
        assertThat(through.get("results")).isEqualTo(expected.get("results"));
        try (Statement s = direct.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM js_txn")) {
            rs.next();
            assertThat(rs.getInt(1)).as("committed rows").isEqualTo(2 * CLIENTS);
        }
    }

    private static void freshTable() throws Exception {
        try (Statement s = direct.createStatement()) {
            s.execute("DROP TABLE IF EXISTS js_txn");
            s.execute("CREATE TABLE js_txn (driver text, client int, n int, pid int DEFAULT pg_backend_pid())");
        }
    }

    /** The script's result; {@code password} (for PostgreSQL itself) goes in {@code PGPASSWORD}, which both drivers read. */
    private static JsonNode script(String driver, int port, int concurrency, String password) throws Exception {
        String out = run(List.of("node", NPM.resolve("txn-drivers.js").toString(), driver, Integer.toString(port),
                Integer.toString(CLIENTS), Integer.toString(concurrency)), 240, password);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        return JSON.readTree(last);
    }

    /** npm or node in the npm folder; {@code password} (for PostgreSQL itself) goes in {@code PGPASSWORD}. */
    private static String run(List<String> command, int seconds, String password) throws Exception {
        return NodeDriver.runLogged(NPM, command, seconds, env -> {
            env.remove("PGPASSWORD");
            if (password != null) {
                env.put("PGPASSWORD", password);
            }
        });
    }
}
