package dev.meridian.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiateProtocolVersionTest {

    @Test
    void optionsAreAnImmutableCopy() {
        List<String> options = new ArrayList<>(List.of("_pq_.a"));
        NegotiateProtocolVersion v = new NegotiateProtocolVersion(0, options);

        options.add("_pq_.b");

        assertThat(v.unrecognizedOptions()).containsExactly("_pq_.a");
    }
}
