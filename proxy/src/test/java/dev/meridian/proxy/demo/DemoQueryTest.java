package dev.meridian.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The psql lines the demo prints. */
class DemoQueryTest {

    @Test
    void oneLinePerRegionThenTheCatchAllRule() {
        assertThat(DemoQuery.all()).extracting(query -> query.database() + " -> " + query.expectedRegion())
                .containsExactly("demo_iad -> iad", "demo_lhr -> lhr", "demo_sin -> sin", "postgres -> iad");
    }

    @Test
    void printsALineAUserCanPaste() {
        DemoQuery lhr = DemoQuery.all().get(1);

        assertThat(lhr.shellLine("psql", 6432)).isEqualTo("psql \"host=127.0.0.1 port=6432 dbname=demo_lhr"
                + " user=demo\" -c \"select current_setting('cluster_name')\"");
        assertThat(lhr.shellLine("/opt/Postgres App/bin/psql", 6432))
                .startsWith("'/opt/Postgres App/bin/psql' \"host=");
    }
}
