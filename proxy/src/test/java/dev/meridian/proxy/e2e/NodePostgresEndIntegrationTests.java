package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17, case 8, with the real driver: node-postgres's {@code connect(); end()} writes
 * Terminate before its startup packet. PostgreSQL closes such a connection without a word;
 * so must Meridian, or the driver throws the FATAL as an uncaught error and the process dies.
 * The test installs {@code pg} with npm into {@code target/npm-pg} (once; only the npm
 * registry is needed).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NodePostgresEndIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    private static final Path NPM = Path.of("target", "npm-pg").toAbsolutePath();
    private static final String SCRIPT = """
            const { Client } = require('pg');
            process.on('uncaughtException', e => { console.log('UNCAUGHT ' + (e.code || '') + ' ' + e.message); process.exit(3); });
            const c = new Client({ host: '127.0.0.1', port: +process.argv[2], user: 'postgres', database: 'postgres' });
            c.on('error', e => console.log('ERROR_EVENT ' + (e.code || '') + ' ' + e.message));
            c.connect().then(() => console.log('CONNECTED'), e => console.log('CONNECT_REJECTED ' + (e.code || '') + ' ' + e.message));
            c.end().then(() => { console.log('ENDED'); setTimeout(() => process.exit(0), 500); });
            """;

    static ProxyFixture proxy;

    @BeforeAll
    static void setUp() throws Exception {
        if (!Files.isDirectory(NPM.resolve("node_modules/pg"))) {
            Files.createDirectories(NPM);
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", NPM.toString(), "pg@8.23.1"), 240);
        }
        Files.writeString(NPM.resolve("connect-end.js"), SCRIPT);
        proxy = OneRegion.start(PG);
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void connectThenEndAtOnceEndsCleanly() throws Exception {
        for (int i = 0; i < 5; i++) {
            String out = run(List.of("node", NPM.resolve("connect-end.js").toString(), Integer.toString(proxy.port())), 60);
            assertThat(out).contains("ENDED").doesNotContain("UNCAUGHT").doesNotContain("08P01");
        }
        try (Connection c = proxy.connect("postgres", "postgres", null)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    private static String run(List<String> command, int seconds) throws Exception {
        return NodeDriver.runLogged(NPM, command, seconds, env -> { });
    }
}
