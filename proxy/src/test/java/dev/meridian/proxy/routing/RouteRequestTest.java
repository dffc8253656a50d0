package dev.meridian.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteRequestTest {

    @Test
    void knownOptionsAreRead() {
        RouteRequest r = RouteRequest.of("app", null, Map.of("region", "sin", "target", "read-only"));
        assertThat(r.pinnedRegion()).isEqualTo("sin");
        assertThat(r.target()).isEqualTo(SessionTarget.READ_ONLY);
    }

    @Test
    void aMisspelledOptionIs22023NamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> RouteRequest.of("app", null, Map.of("regoin", "lhr")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"))
                .hasMessage("unrecognized Meridian option \"meridian.regoin\" (known: meridian.region, meridian.target, meridian.min_lsn)");
    }

    @Test
    void autoIsATargetAndNoTargetMeansTheRules() {
        assertThat(RouteRequest.of("app", null, Map.of("target", "auto")).target()).isEqualTo(SessionTarget.AUTO);
        assertThat(RouteRequest.of("app", null, Map.of()).target()).isNull();
        assertThat(RouteRequest.of("app", null, Map.of("min_lsn", "0/16B3748")).target()).isNull();
        assertThatThrownBy(() -> RouteRequest.of("app", null, Map.of("target", "any")))
                .hasMessage("invalid value for parameter \"meridian.target\": \"any\" (use read-write, read-only or auto)");
    }
}
