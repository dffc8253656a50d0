package dev.meridian.proxy.backend.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdoptionTest {
    private static PoolKey key(String... nameValues) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", "app");
        p.put("database", "orders");
        for (int i = 0; i < nameValues.length; i += 2) {
            p.put(nameValues[i], nameValues[i + 1]);
        }
        return new PoolKey("lhr-1", p);
    }

    @Test
    void psqlAndPgjdbcParametersCanBeApplied() {
        assertThat(Adoption.possible(key("application_name", "psql", "client_encoding", "UTF8"))).isTrue();
        assertThat(Adoption.possible(key("client_encoding", "UTF8", "DateStyle", "ISO", "TimeZone", "Europe/London",
                "extra_float_digits", "2", "application_name", "PostgreSQL JDBC Driver"))).isTrue();
    }

    @Test
    void aPlainKeyNeedsNoAdoption() {
        assertThat(Adoption.possible(key())).isFalse();
    }

    @Test
    void optionsReplicationAndOtherSettingsAreNotApplied() {
        assertThat(Adoption.possible(key("options", "-c work_mem=64MB"))).isFalse();
        assertThat(Adoption.possible(key("replication", "database"))).isFalse();
        assertThat(Adoption.possible(key("application_name", "x", "work_mem", "64MB"))).isFalse();
    }

    @Test
    void theQuerySetsEachParameterAsAStartupValue() {
        assertThat(Adoption.query(key("TimeZone", "UTC", "DateStyle", "ISO, MDY")))
                .isEqualTo("SELECT pg_catalog.set_config(E'DateStyle', E'ISO, MDY', false),"
                        + " pg_catalog.set_config(E'TimeZone', E'UTC', false)");
    }

    @Test
    void valuesAreEscapedWhateverStandardConformingStringsSays() {
        assertThat(Adoption.literal("it's a \\ test")).isEqualTo("E'it''s a \\\\ test'");
        assertThat(Adoption.query(key("application_name", "x'); DROP TABLE t; --")))
                .isEqualTo("SELECT pg_catalog.set_config(E'application_name', E'x''); DROP TABLE t; --', false)");
    }

    @Test
    void theWarmKeyOfAClientKeyIsItsBackendUserAndDatabase() {
        PoolKey client = key("application_name", "psql");
        assertThat(WarmKey.of(client)).isEqualTo(new WarmKey("lhr-1", "app", "orders"));
        assertThat(WarmKey.of(client).plain()).isEqualTo(key());
        assertThat(WarmKey.isPlain(WarmKey.of(client).plain())).isTrue();
        assertThat(WarmKey.isPlain(client)).isFalse();
    }

    @Test
    void parametersTheServerAlreadyReportsAreNotSetAgain() {
        Map<String, String> reported = Map.of("client_encoding", "UTF8", "DateStyle", "ISO, MDY", "application_name", "");
        assertThat(Adoption.query(key("client_encoding", "UTF8"), reported)).isNull();
        assertThat(Adoption.query(key("datestyle", "ISO, MDY", "client_encoding", "UTF8"), reported)).isNull();
        assertThat(Adoption.query(key("client_encoding", "UTF8", "application_name", "psql"), reported))
                .isEqualTo("SELECT pg_catalog.set_config(E'application_name', E'psql', false)");
        // Not reported by the server (extra_float_digits): always applied.
        assertThat(Adoption.query(key("client_encoding", "UTF8", "extra_float_digits", "2"), reported))
                .isEqualTo("SELECT pg_catalog.set_config(E'extra_float_digits', E'2', false)");
        assertThat(Adoption.query(key("client_encoding", "LATIN1"), reported))
                .isEqualTo("SELECT pg_catalog.set_config(E'client_encoding', E'LATIN1', false)");
    }
}
