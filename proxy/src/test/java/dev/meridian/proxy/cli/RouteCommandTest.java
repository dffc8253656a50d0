package dev.meridian.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meridian route}: the proxy's decision explained, exit 0 when a backend is chosen, 1 when refused. */
class RouteCommandTest {
    @TempDir
    static Path dir;
    static Path config;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void writeConfig() throws IOException, URISyntaxException {
        Path mmdb = Path.of(RouteCommandTest.class.getResource("/geo/GeoLite2-City-Test.mmdb").toURI());
        config = Files.writeString(dir.resolve("meridian.yaml"), """
                region: iad
                auth: { method: trust }
                backends:
                  - { name: iad-1, region: iad, host: h, role: primary, user: postgres }
                  - { name: iad-r, region: iad, host: h, role: replica }
                  - { name: lhr-1, region: lhr, host: h, role: primary }
                  - { name: sin-1, region: sin, host: h, role: primary }
                  - { name: ams-r, region: ams, host: h, role: replica }
                databases:
                  eu_orders:    { regions: [lhr], backend_database: orders }
                  replica_only: { regions: [ams] }
                  "*":          { prefer: nearest }
                geo:
                  mmdb: "%s"
                  networks: [ { cidr: 203.0.113.0/24, region: sin } ]
                """.formatted(mmdb));
    }

    private static Run route(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "route";
        all[1] = "-c";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return run(all);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void londonClientGoesToLhr() {
        Run r = route("--database", "app", "--client-ip", "81.2.69.142");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("location  lhr via geo.mmdb: London, GB (51.51, -0.09)")
                .contains("health    unknown offline: every backend assumed up, roles as configured")
                .containsPattern("1  lhr-1 +lhr +primary +yes +25 km +-")
                .contains("chosen    lhr-1 (lhr), reason: geo - nearest candidate to the client")
                .contains("login     as the client's own user");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void residencyKeepsASingaporeClientInLhr() {
        Run r = route("--database", "eu_orders", "--client-ip", "203.0.113.5", "--user", "alice");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("-> backend database \"orders\"")
                .contains("location  sin via geo.networks: 203.0.113.5 in 203.0.113.0/24")
                .containsPattern("-  sin-1 +sin +primary +yes +0 km +- +outside the database's regions \\(lhr\\)")
                .contains("chosen    lhr-1 (lhr), reason: database")
                .contains("login     as alice (the client's own user)");
    }

    @Test
    void readOnlyReachesTheReplica() {
        Run r = route("--database", "app", "--client-ip", "216.160.83.57", "--read-only");
        assertThat(r.out())
                .contains("target    read-only: replicas first, then primaries")
                .contains("chosen    iad-r (iad), reason: geo - nearest replica to the client");
    }

    @Test
    void regionPins() {
        Run r = route("--database", "app", "--client-ip", "81.2.69.142", "--region", "sin");
        assertThat(r.out())
                .contains("location  sin via meridian.region option: meridian.region=sin")
                .contains("chosen    sin-1 (sin), reason: pinned");
    }

    @Test
    void withoutAnAddressTheClientIsInThisInstancesRegion() {
        Run r = route("--database", "app");
        assertThat(r.out())
                .contains("client    no address")
                .contains("location  iad via this instance's region: no client address")
                .contains("chosen    iad-1 (iad)")
                .contains("login     as postgres (the backend's configured user)");
    }

    @Test
    void unservedDatabaseExits1With3D000() throws IOException {
        Path strict = Files.writeString(dir.resolve("strict.yaml"), """
                region: iad
                auth: { method: trust }
                backends: [ { name: iad-1, region: iad, host: h } ]
                databases: { app: {} }
                """);
        Run r = run("route", "-c", strict.toString(), "--database", "x", "--client-ip", "81.2.69.142");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("FATAL 3D000 database \"x\" is not served by this proxy" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void noCandidateExplainsAndExits1With57P03() {
        Run r = route("--database", "replica_only");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern("-  ams-r +ams +replica +yes .* replica: read-write sessions need a primary")
                .contains("chosen    none");
        assertThat(r.err()).contains("FATAL 57P03 no primary available for database \"replica_only\" in regions ams:"
                + " a read-write session needs a primary; a read-only session (options=-c meridian.target=read-only)"
                + " would be served by a replica, which is up");
        assertThat(route("--database", "replica_only", "--read-only").exit()).isZero();
    }

    @Test
    void unknownPinnedRegionExits1With22023() {
        Run r = route("--database", "app", "--region", "atlantis");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("FATAL 22023").contains("atlantis");
    }

    @Test
    void aHostNameIsNotAClientIp() {
        Run r = route("--database", "app", "--client-ip", "example.com");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--client-ip: not an IP address: example.com");
    }

    @Test
    void badConfigExits1WithItsProblems() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "region: iad\nbackends: []\n");
        Run r = run("route", "-c", bad.toString(), "--database", "app");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("backends: at least one backend is required");
    }
}
