package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status page on the admin port, loaded in headless Chromium against a real proxy and real
 * PostgreSQL servers: it lists the backends and the recent route, and shows a backend down once
 * its server is stopped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusPageIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static ProxyFixture proxy;

    /** Checks often enough to see the stop within seconds, with a timeout a busy test machine meets. */
    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth: { method: trust }
            health: { interval: 1s, timeout: 1s, rise: 1, fall: 2, grace_period: 0s }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              far: { regions: [lhr], backend_database: postgres }
              "*": { regions: [iad] }
            """;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(CONFIG, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
        awaitUp("iad-1", true);
        awaitUp("lhr-1", true);
    }

    private static void awaitUp(String backend, boolean up) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (HealthTesting.health(proxy).health(backend).up() != up && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(HealthTesting.health(proxy).health(backend).up()).as(backend + " up").isEqualTo(up);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static String page() {
        return "http://127.0.0.1:" + proxy.adminPort() + "/";
    }

    /** The backends table row of one backend, as the browser built it. */
    private static String row(String dom, String backend) {
        Matcher m = Pattern.compile("<tr data-backend=\"" + backend + "\">(.*?)</tr>").matcher(dom);
        assertThat(m.find()).as("a row for %s in %s", backend, dom).isTrue();
        return m.group(1);
    }

    @Test
    void thePageShowsBackendsRoutesAndABackendGoingDown() throws Exception {
        try (Connection c = proxy.connect("far", "postgres", null)) {
            c.createStatement().execute("SELECT 1");
        }
        String json = AdminHttp.get(proxy.adminPort(), "/status.json").body();
        assertThat(json).contains("\"name\":\"lhr-1\"").contains("\"database\":\"far\"")
                .as("no user names or client addresses").doesNotContain("\"user\"").doesNotContain("127.0.0.1");

        String dom = HeadlessChromium.dumpDom(page());
        assertThat(row(dom, "iad-1")).contains(">up<").contains(">iad<");
        assertThat(row(dom, "lhr-1")).contains(">up<").contains(">primary<");
        assertThat(dom).contains("data-region=\"lhr\"").contains("data-region=\"iad\"")
                .contains("<td>far</td>").as("no refresh error").contains("<span id=\"error\"></span>");

        PG.server("lhr").stop();
        awaitUp("lhr-1", false);
        String after = HeadlessChromium.dumpDom(page());
        assertThat(row(after, "lhr-1")).contains(">down<");
        assertThat(row(after, "iad-1")).contains(">up<");
        Path png = Path.of("target", "status-page.png");
        HeadlessChromium.screenshot(page(), png);
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void thePageIsSelfContained() {
        var html = AdminHttp.get(proxy.adminPort(), "/");
        assertThat(html.status()).isEqualTo(200);
        String withoutSvgNamespace = html.body().replace("http://www.w3.org/2000/svg", "");
        assertThat(withoutSvgNamespace).contains("<svg").contains("status.json")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("src=").doesNotContain("<link");
    }
}
