package dev.meridian.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The psql lines the demo prints. */
class DemoQueryTest {

    @Test
    void oneLinePerRegionThenTheCatchAllRule() {
        assertThat(DemoQuery.all()).extracting(query -> query.database() + " -> " + query.expectedRegion())
                .containsExactly("demo_iad -> iad", "demo_lhr -> lhr", "demo_sin -> sin", "postgres -> iad",
                        "postgres -> sin");
    }

    @Test
    void aRegionOptionGoesIntoTheConnectionString() {
        DemoQuery pinned = DemoQuery.all().get(4);
        assertThat(pinned.conninfo(6432)).endsWith(" user=demo options='-c meridian.region=sin'");
    }

    @Test
    void printsALineAUserCanPaste() {
        DemoQuery lhr = DemoQuery.all().get(1);

        assertThat(lhr.shellLine("psql", 6432)).isEqualTo("psql \"host=127.0.0.1 port=6432 dbname=demo_lhr"
                + " user=demo\" -c \"select current_setting('cluster_name')\"");
        assertThat(lhr.shellLine("/opt/Postgres App/bin/psql", 6432))
                .startsWith("'/opt/Postgres App/bin/psql' \"host=");
    }

    @Test
    void theReadmeShowsALineTheDemoPrints() throws IOException {
        String readme = Files.readString(readme());

        assertThat(readme).contains("./mvnw -q -DskipTests package && java -jar proxy/target/meridian.jar demo");
        assertThat(readme).contains(DemoQuery.all().get(1).shellLine("psql", DemoPorts.DEFAULT_PROXY));
    }

    /** The repository's README: tests run in proxy/, it is one level up. */
    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("proxy"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }
}
