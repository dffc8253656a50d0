package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
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

    @BeforeAll
    static void start() throws Exception {
        proxy = HealthTesting.twoRegions(PG.server("iad"), PG.server("lhr"), Duration.ofMillis(200));
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
                .contains("<td>far</td>").doesNotContain("refresh failed");

        PG.server("lhr").stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (HealthTesting.health(proxy).health("lhr-1").up() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
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
