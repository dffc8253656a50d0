package dev.meridian.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The shipped proxy runs without Netty's sampling leak detector unless a property asks for it. */
@Isolated
class LeakDetectorDefaultTest {
    private static final String PROPERTY = "io.netty.leakDetection.level";

    @Test
    void offByDefaultAndLeftAloneWhenAskedFor() {
        String asked = System.getProperty(PROPERTY);
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        try {
            System.clearProperty(PROPERTY);
            Main.quietLeakDetector();
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);

            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            System.setProperty(PROPERTY, "paranoid");
            Main.quietLeakDetector();
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        } finally {
            if (asked == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, asked);
            }
            ResourceLeakDetector.setLevel(level);
        }
    }
}
