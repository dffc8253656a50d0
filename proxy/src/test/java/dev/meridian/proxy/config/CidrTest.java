package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "203.0.113.0/24, 203.0.113.0/24, 24",
        "10.1.2.3/8, 10.0.0.0/8, 8",           // host bits are cleared
        "192.168.1.77, 192.168.1.77/32, 32",   // a bare address is one host
        "0.0.0.0/0, 0.0.0.0/0, 0",
        "255.255.255.255/32, 255.255.255.255/32, 32",
        "10.0.0.255/31, 10.0.0.254/31, 31",
        "::1/128, ::1/128, 128",
        "::/0, ::/0, 0",
        "2001:db8::/32, 2001:db8::/32, 32",
        "2001:DB8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128, 128",
        "2001:db8:1:2:3:4:5:6/48, 2001:db8:1::/48, 48",
        "fe80::1:2/64, fe80::/64, 64",
        "::ffff:192.0.2.1/128, ::ffff:c000:201/128, 128",
        "1:2:3:4:5:6:7::/112, 1:2:3:4:5:6:7:0/112, 112",
        "1::8, 1::8/128, 128",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1/128, 128",
    })
    void parsesAndNormalises(String text, String normalised, int prefix) {
        Cidr cidr = Cidr.parse(text);
        assertThat(cidr).hasToString(normalised);
        assertThat(cidr.prefixLength()).isEqualTo(prefix);
        assertThat(Cidr.parse(normalised)).isEqualTo(cidr).hasSameHashCodeAs(cidr);
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
        "''                  | not an IPv4 address (expected a.b.c.d)",
        "banana              | not an IPv4 address (expected a.b.c.d)",
        "example.com         | not an IPv4 address (expected a.b.c.d)",
        "10.0.0              | not an IPv4 address (expected a.b.c.d)",
        "10.0.0.0.0          | not an IPv4 address (expected a.b.c.d)",
        "10.0.0.256/8        | not an IPv4 address (each part must be 0..255, without leading zeros)",
        "10.0.0.01/8         | not an IPv4 address (each part must be 0..255, without leading zeros)",
        "10.0.0.-1           | not an IPv4 address (each part must be 0..255, without leading zeros)",
        "10.0.0.0/33         | prefix length must be 0..32",
        "10.0.0.0/           | prefix length must be a number 0..32",
        "10.0.0.0/-1         | prefix length must be a number 0..32",
        "10.0.0.0/8/8        | prefix length must be a number 0..32",
        "10.0.0.0/ 8         | prefix length must be a number 0..32",
        "::1/129             | prefix length must be 0..128",
        "1:2:3:4:5:6:7:8:9   | not an IPv6 address (wrong number of groups)",
        "1:2:3:4:5:6:7       | not an IPv6 address (wrong number of groups)",
        "1:2:3:4::5:6:7:8    | not an IPv6 address (wrong number of groups)",
        "1::2::3             | not an IPv6 address (more than one ::)",
        ":::                 | not an IPv6 address (more than one ::)",
        "12345::             | not an IPv6 address (groups are 1 to 4 hex digits)",
        "g::1                | not an IPv6 address (groups are 1 to 4 hex digits)",
        ":1:2:3:4:5:6:7      | not an IPv6 address (groups are 1 to 4 hex digits)",
        "1.2.3.4::           | not an IPv6 address (groups are 1 to 4 hex digits)",
        "fe80::1%eth0        | IPv6 zone ids (%...) are not allowed",
        "[::1]/128           | not an IPv6 address (groups are 1 to 4 hex digits)",
    })
    void rejectsMalformed(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "203.0.113.0/24, 203.0.113.0, true",
        "203.0.113.0/24, 203.0.113.255, true",
        "203.0.113.0/24, 203.0.114.0, false",
        "203.0.113.0/24, 203.0.112.255, false",
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "192.168.1.77/32, 192.168.1.77, true",
        "192.168.1.77/32, 192.168.1.78, false",
        "10.0.0.0/9, 10.127.255.255, true",
        "10.0.0.0/9, 10.128.0.0, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::1/128, ::1, true",
        "::1/128, ::2, false",
        "::/0, 2001:db8::1, true",
        "::/0, 10.0.0.1, false",                // ::/0 means every IPv6 client
        "::ffff:10.0.0.0/104, 10.1.2.3, true",
        "10.0.0.0/8, ::ffff:10.1.2.3, true",    // IPv4-mapped, as seen on dual-stack sockets
        "10.0.0.0/8, ::ffff:11.1.2.3, false",
        "10.0.0.0/8, 2001:db8::1, false",
        "::ffff:0:0/96, 192.0.2.1, true",
        "2001:db8::/32, 192.0.2.1, false",
        "0.0.0.0/0, ::1, false",
    })
    void contains(String cidr, String address, boolean expected) throws UnknownHostException {
        assertThat(Cidr.parse(cidr).contains(literal(address))).isEqualTo(expected);
    }

    @Test
    void mappedIpv6AddressesAreCheckedAsIpv6WhenJavaKeepsThemSo() throws UnknownHostException {
        // InetAddress turns ::ffff:a.b.c.d text into an Inet4Address; build a true Inet6Address.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(v6).isInstanceOf(java.net.Inet6Address.class);
        assertThat(Cidr.parse("10.0.0.0/8").contains(v6)).isTrue();
        assertThat(Cidr.parse("11.0.0.0/8").contains(v6)).isFalse();
    }

    @Test
    void exposesNetworkAndFamily() throws UnknownHostException {
        Cidr v4 = Cidr.parse("10.1.2.3/8");
        Cidr v6 = Cidr.parse("2001:db8::1/32");
        assertThat(v4.network()).isEqualTo(literal("10.0.0.0"));
        assertThat(v4.isIpv6()).isFalse();
        assertThat(v6.network()).isEqualTo(literal("2001:db8::"));
        assertThat(v6.isIpv6()).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/9"))
                .isNotEqualTo(Cidr.parse("::a00:0/8"));
    }

    @Test
    void mostSpecificNetworkWins() throws UnknownHostException {
        GeoConfig geo = new GeoConfig(null, List.of(
                new NetworkRule(Cidr.parse("10.0.0.0/8"), "iad"),
                new NetworkRule(Cidr.parse("10.1.2.0/24"), "sin"),
                new NetworkRule(Cidr.parse("10.1.0.0/16"), "lhr"),
                new NetworkRule(Cidr.parse("0.0.0.0/0"), "ams"),
                new NetworkRule(Cidr.parse("2001:db8::/32"), "nrt"),
                new NetworkRule(Cidr.parse("2001:db8:1::/48"), "syd")));

        assertThat(geo.regionFor(literal("10.1.2.3"))).contains("sin");
        assertThat(geo.regionFor(literal("10.1.3.3"))).contains("lhr");
        assertThat(geo.regionFor(literal("10.2.0.1"))).contains("iad");
        assertThat(geo.regionFor(literal("8.8.8.8"))).contains("ams");
        assertThat(geo.regionFor(literal("2001:db8:1::5"))).contains("syd");
        assertThat(geo.regionFor(literal("2001:db8:2::5"))).contains("nrt");
        assertThat(geo.regionFor(literal("2001:db9::5"))).isEmpty();
        assertThat(new GeoConfig(null, List.of(new NetworkRule(Cidr.parse("::/0"), "nrt"),
                new NetworkRule(Cidr.parse("0.0.0.0/0"), "ams"))).regionFor(literal("1.2.3.4")))
                .contains("ams");
        assertThat(new GeoConfig(null, List.of(new NetworkRule(Cidr.parse("0.0.0.0/0"), "ams"),
                new NetworkRule(Cidr.parse("::ffff:10.0.0.0/112"), "nrt"))).regionFor(literal("10.0.1.1")))
                .contains("nrt");
        assertThat(GeoConfig.NONE.regionFor(literal("10.1.2.3"))).isEmpty();
    }

    @Test
    void geoNetworksLoadFromYaml() throws UnknownHostException {
        MeridianConfig config = TestYaml.base().set("geo", "{ networks: ["
                + " { cidr: 203.0.113.0/24, region: sin }, { cidr: 203.0.113.128/25, region: syd },"
                + " { cidr: \"2001:db8::/32\", region: nrt } ] }").load();

        assertThat(config.geo().networks()).hasSize(3);
        assertThat(config.geo().regionFor(literal("203.0.113.200"))).contains("syd");
        assertThat(config.geo().regionFor(literal("203.0.113.20"))).contains("sin");
        assertThat(config.geo().regionFor(literal("2001:db8::7"))).contains("nrt");
    }

    /** Literal addresses only: getByName never resolves these. */
    private static InetAddress literal(String address) throws UnknownHostException {
        return InetAddress.getByName(address);
    }
}
