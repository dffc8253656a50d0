package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.cluster.InstanceTag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cluster:} — this instance's id, its static peers and the Fly DNS name of the others. */
class ClusterConfigTest {

    private static TestYaml with(String cluster) {
        return TestYaml.base().set("listen", "{ port: 6432 }").set("cluster", cluster);
    }

    @Test
    void withoutClusterTheInstanceIsTheFlyMachineIdAndThereAreNoSiblings() {
        MeridianConfig config = TestYaml.base().env("FLY_MACHINE_ID", "1781973f6e0d89").env("HOSTNAME", "box").load();

        assertThat(config.cluster()).isEqualTo(ClusterConfig.standalone("1781973f6e0d89"));
        assertThat(config.cluster().hasSiblings()).isFalse();
    }

    @Test
    void withoutFlyTheInstanceIsTheHostName() {
        assertThat(TestYaml.base().env("HOSTNAME", "box-7").load().cluster().instance()).isEqualTo("box-7");
        assertThat(TestYaml.base().load().cluster().instance()).isNotBlank();
    }

    @Test
    void anEmptyInstanceFallsBackToTheDefault() {
        MeridianConfig config = with("{ instance: \"${FLY_MACHINE_ID:-}\" }").env("HOSTNAME", "box-7").load();

        assertThat(config.cluster().instance()).isEqualTo("box-7");
    }

    @Test
    void bindsStaticPeersWithTheListenPortAsDefault() {
        MeridianConfig config = with("""
                { instance: m1, peers: [ { instance: m2, host: 10.0.0.2, port: 5433 },
                                         { instance: m3, host: m3.internal } ] }""").load();

        assertThat(config.cluster()).isEqualTo(new ClusterConfig("m1", List.of(
                new ClusterConfig.Peer("m2", "10.0.0.2", 5433),
                new ClusterConfig.Peer("m3", "m3.internal", 6432)), null));
        assertThat(config.cluster().hasSiblings()).isTrue();
    }

    @Test
    void oneSharedListSkipsTheEntryOfThisInstance() {
        String shared = "{ instance: \"${ME}\", peers: [ { instance: m1, host: a }, { instance: m2, host: b } ] }";

        assertThat(with(shared).env("ME", "m1").load().cluster().peers())
                .extracting(ClusterConfig.Peer::instance).containsExactly("m2");
        assertThat(with(shared).env("ME", "m2").load().cluster().peers())
                .extracting(ClusterConfig.Peer::instance).containsExactly("m1");
    }

    @Test
    void bindsTheFlyDnsName() {
        MeridianConfig config = with("{ instance: m1, peers_dns: \"vms.${FLY_APP_NAME}.internal\" }")
                .env("FLY_APP_NAME", "meridian").load();

        assertThat(config.cluster()).isEqualTo(new ClusterConfig("m1", List.of(), "vms.meridian.internal"));
        assertThat(config.cluster().hasSiblings()).isTrue();
    }

    @Test
    void refusesTwoPeersWhoseIdsShareACancelKeyTag() {
        assertThat(InstanceTag.of("m86652")).isEqualTo(InstanceTag.of("m1"));

        assertThat(with("{ instance: m0, peers: [ { instance: m1, host: a }, { instance: m86652, host: b } ] }")
                .problems()).containsExactly("cluster.peers[1].instance: \"m86652\" has the same cancel-key tag as"
                        + " \"m1\": a cancel could not tell them apart; rename one");
        assertThat(with("{ instance: m1, peers: [ { instance: m86652, host: b } ] }").problems())
                .containsExactly("cluster.peers[0].instance: \"m86652\" has the same cancel-key tag as \"m1\""
                        + " (this instance): a cancel could not tell them apart; rename one");
    }

    @Test
    void reportsEachMistakeWithItsPath() {
        assertThat(with("{ instance: m1, peers: [ { instance: m2, host: a }, { instance: m2, host: b } ] }")
                .problems()).containsExactly("cluster.peers[1].instance: duplicate instance \"m2\" (also"
                        + " cluster.peers[0].instance)");
        assertThat(with("{ instance: m1, peers: [ { host: a, port: 0 } ] }").problems()).containsExactly(
                "cluster.peers[0].instance: is required", "cluster.peers[0].port: must be 1..65535");
        assertThat(with("{ instance: m1, peers: [ { instance: m2 } ] }").problems())
                .containsExactly("cluster.peers[0].host: is required");
        assertThat(with("{ instance: m1, peers: [ m2 ] }").problems())
                .containsExactly("cluster.peers[0]: must be a map, not a single value");
        assertThat(with("{ instance: m1, peers: { instance: m2 } }").problems())
                .containsExactly("cluster.peers: must be a list, not a map");
        assertThat(with("{ instance: m1, peers: [ { instance: m2, host: a, region: iad } ] }").problems())
                .containsExactly("cluster.peers[0].region: unknown key (expected instance, host, port)");
        assertThat(with("{ instance: m1, peers_dns: meridian.internal }").problems()).containsExactly(
                "cluster.peers_dns: must be a Fly name like vms.<app>.internal, not \"meridian.internal\"");
        assertThat(with("{ instance: m1, peers_dns: \"vms.${FLY_APP_NAME}.internal\" }").problems())
                .singleElement().asString().startsWith("cluster.peers_dns: ").contains("FLY_APP_NAME");
        assertThat(with("{ id: m1 }").problems())
                .containsExactly("cluster.id: unknown key (expected instance, peers, peers_dns)");
        assertThat(with("[ m1 ]").problems()).containsExactly("cluster: must be a map, not a list");
    }
}
