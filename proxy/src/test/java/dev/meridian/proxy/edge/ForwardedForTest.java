package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.Cidr;
import dev.meridian.proxy.routing.ClientAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardedForTest {
    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8"));

    private static ClientAddress locate(String peer, Map<String, String> headers) throws Exception {
        return ForwardedFor.locate(InetAddress.getByName(peer), TRUSTED, headers::get);
    }

    @Test
    void trustedPeerHeadersNameTheClientInOrderOfPreference() throws Exception {
        assertThat(locate("10.1.2.3", Map.of("Fly-Client-IP", "203.0.113.9", "X-Forwarded-For", "198.51.100.1")))
                .isEqualTo(new ClientAddress(InetAddress.getByName("203.0.113.9"), ClientAddress.Origin.FORWARDED_HEADER));
        assertThat(locate("10.1.2.3", Map.of("CF-Connecting-IP", "2001:db8::1")).text()).isEqualTo("2001:db8::1");
        assertThat(locate("10.1.2.3", Map.of("X-Forwarded-For", "198.51.100.7, 10.0.0.1")).text()).isEqualTo("198.51.100.7");
    }

    @Test
    void untrustedPeerIsTheClientWhateverItClaims() throws Exception {
        ClientAddress a = locate("192.0.2.5", Map.of("Fly-Client-IP", "203.0.113.9"));
        assertThat(a.text()).isEqualTo("192.0.2.5");
        assertThat(a.origin()).isEqualTo(ClientAddress.Origin.CONNECTION);
    }

    @Test
    void headersThatAreNotIpLiteralsAreIgnoredNeverResolved() throws Exception {
        assertThat(locate("10.1.2.3", Map.of("Fly-Client-IP", "evil.example.com", "X-Forwarded-For", "unknown")).text())
                .isEqualTo("10.1.2.3");
    }
}
