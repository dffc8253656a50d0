package dev.meridian.proxy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.session.DatabasePauses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabasePausesTest {
    @Test
    void aPausedPatternHoldsEveryDatabaseItRoutesUntilResumed() {
        DatabasePauses pauses = new DatabasePauses();
        List<String> ran = new ArrayList<>();
        pauses.pause("shop*");
        pauses.whenOpen("shop_1", "shop*", () -> ran.add("shop_1"));
        pauses.whenOpen("orders", "orders", () -> ran.add("orders"));
        assertThat(ran).containsExactly("orders");
        assertThat(pauses.resume("shop*")).isTrue();
        assertThat(ran).containsExactly("orders", "shop_1");
        assertThat(pauses.resume("shop*")).as("not paused any more").isFalse();
    }

    @Test
    void resumeWithoutANameLiftsEverything() {
        DatabasePauses pauses = new DatabasePauses();
        assertThat(pauses.resume(null)).isFalse();
        pauses.pause(null);
        pauses.pause("orders");
        assertThat(pauses.isPaused("any", "*")).isTrue();
        assertThat(pauses.allPaused()).isTrue();
        assertThat(pauses.resume(null)).isTrue();
        assertThat(pauses.isPaused("orders", "orders")).isFalse();
    }
}
