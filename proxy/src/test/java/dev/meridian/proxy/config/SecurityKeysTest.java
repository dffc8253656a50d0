package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keys of issue #16: databases.*.replication, backends[].allow_cleartext, listen.proxy_protocol_from. */
class SecurityKeysTest {

    @Test
    void replicationIsOffUnlessARuleSaysTrue() {
        MeridianConfig config = TestYaml.base()
                .set("databases", "{ cdc: { replication: true }, \"*\": {} }").load();
        assertThat(config.databases().get(0).replication()).isTrue();
        assertThat(config.databases().get(1).replication()).isFalse();
        assertThat(config.databases().get(0).keyPath("replication")).isEqualTo("databases.cdc.replication");
        assertThat(config.databases().get(1).keyPath("replication")).isEqualTo("databases.\"*\".replication");
    }

    @Test
    void replicationMustBeABoolean() {
        assertThat(TestYaml.base().set("databases", "{ cdc: { replication: database } }").problems())
                .containsExactly("databases.cdc.replication: must be true or false, not \"database\"");
    }

    @Test
    void allowCleartextIsOffByDefault() {
        MeridianConfig config = TestYaml.base().set("backends", """
                [ { name: a, region: iad, host: h }, { name: b, region: iad, host: h, allow_cleartext: true } ]""")
                .load();
        assertThat(config.backends().get(0).allowCleartext()).isFalse();
        assertThat(config.backends().get(1).allowCleartext()).isTrue();
    }

    @Test
    void allowCleartextMustBeABoolean() {
        assertThat(TestYaml.base().set("backends", "[ { name: a, region: iad, host: h, allow_cleartext: yes } ]")
                .problems()).containsExactly("backends[0].allow_cleartext: must be true or false, not \"yes\"");
    }

    @Test
    void proxyProtocolFromIsParsedAndEveryBadItemNamed() {
        MeridianConfig config = TestYaml.base()
                .set("listen", "{ proxy_protocol: optional, proxy_protocol_from: [ 10.1.0.0/16, \"fdaa::/16\" ] }").load();
        assertThat(config.listen().proxyProtocolFrom())
                .containsExactly(Cidr.parse("10.1.0.0/16"), Cidr.parse("fdaa::/16"));
        assertThat(TestYaml.base()
                .set("listen", "{ proxy_protocol: required, proxy_protocol_from: [ 10.0.0.0/8, 10.0.0.0/33 ] }").problems())
                .containsExactly("listen.proxy_protocol_from[1]: invalid CIDR \"10.0.0.0/33\": prefix length must be 0..32");
    }

    @Test
    void proxyProtocolFromWithoutProxyProtocolIsAMistake() {
        assertThat(TestYaml.base().set("listen", "{ proxy_protocol_from: [ 10.0.0.0/8 ] }").problems())
                .containsExactly("listen.proxy_protocol_from: has no effect with proxy_protocol off");
        assertThat(TestYaml.base().set("listen", "{ proxy_protocol: optional, proxy_protocol_from: [] }").problems())
                .containsExactly("listen.proxy_protocol_from: must list at least one network (omit the key for the default)");
    }

    @Test
    void defaultPeersDependOnTheMode() throws Exception {
        ListenConfig optional = new ListenConfig("0.0.0.0", 5432, ProxyProtocol.OPTIONAL);
        ListenConfig required = new ListenConfig("0.0.0.0", 5432, ProxyProtocol.REQUIRED);
        InetAddress internet = InetAddress.getByName("81.2.69.142");
        InetAddress flyPrivate = InetAddress.getByName("fdaa:0:1::3");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(optional.proxyHeaderPeers().stream().anyMatch(c -> c.contains(internet))).isFalse();
        assertThat(optional.proxyHeaderPeers().stream().anyMatch(c -> c.contains(flyPrivate))).isTrue();
        assertThat(optional.proxyHeaderPeers().stream().anyMatch(c -> c.contains(loopback))).isTrue();
        assertThat(required.proxyHeaderPeers().stream().anyMatch(c -> c.contains(internet))).isTrue();
        ListenConfig listed = new ListenConfig("0.0.0.0", 5432, ProxyProtocol.REQUIRED, List.of(Cidr.parse("10.0.0.0/8")));
        assertThat(listed.proxyHeaderPeers().stream().anyMatch(c -> c.contains(internet))).isFalse();
    }
}
