package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.pooling.PoolModeChoice;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The keys of transaction pooling: pool.mode, pool_mode, listen.transaction_port, max_prepared_statements, query_wait_timeout. */
class TransactionPoolingKeysTest {

    @Test
    void defaultsAreSessionModeNoSecondPort200StatementsAnd120s() {
        MeridianConfig config = TestYaml.base().load();
        assertThat(config.pool().mode()).isEqualTo(PoolMode.SESSION);
        assertThat(config.pool().maxPreparedStatements()).isEqualTo(200);
        assertThat(config.listen().transactionPort()).isNull();
        assertThat(config.limits().queryWaitTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.databases().get(0).poolMode()).isNull();
    }

    @Test
    void everyKeyIsBound() {
        MeridianConfig config = TestYaml.base()
                .set("listen", "{ port: 6432, transaction_port: 6543 }")
                .set("pool", "{ mode: transaction, max_prepared_statements: 50 }")
                .set("limits", "{ query_wait_timeout: 5s }")
                .set("databases", "{ app: { pool_mode: session }, \"*\": {} }").load();
        assertThat(config.listen().transactionPort()).isEqualTo(6543);
        assertThat(config.pool().mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(config.pool().maxPreparedStatements()).isEqualTo(50);
        assertThat(config.limits().queryWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.databases().get(0).poolMode()).isEqualTo(PoolMode.SESSION);
    }

    @Test
    void mistakesNameTheirKeyPath() {
        assertThat(TestYaml.base().set("pool", "{ mode: statement }").problems())
                .containsExactly("pool.mode: must be one of session, transaction (got \"statement\")");
        assertThat(TestYaml.base().set("databases", "{ app: { pool_mode: txn } }").problems())
                .containsExactly("databases.app.pool_mode: must be one of session, transaction (got \"txn\")");
        assertThat(TestYaml.base().set("listen", "{ port: 6432, transaction_port: 6432 }").problems())
                .containsExactly("listen.transaction_port: same as listen.port (6432)");
        assertThat(TestYaml.base().set("limits", "{ query_wait_timeout: 0 }").problems())
                .containsExactly("limits.query_wait_timeout: must be greater than 0");
        assertThat(TestYaml.base().set("pool", "{ max_prepared_statements: -1 }").problems())
                .containsExactly("pool.max_prepared_statements: must be 0..100000");
    }

    @Test
    void theModeComesFromThePortThenTheRuleThenPoolMode() {
        MeridianConfig config = TestYaml.base()
                .set("listen", "{ port: 6432, transaction_port: 6543 }")
                .set("databases", "{ app: { pool_mode: transaction }, \"*\": {} }").load();
        DatabaseRule app = config.databases().get(0);
        DatabaseRule other = config.databases().get(1);
        assertThat(PoolModeChoice.of(config, app, false, false).text()).isEqualTo("transaction (databases.app.pool_mode)");
        assertThat(PoolModeChoice.of(config, other, false, false).text()).isEqualTo("session (pool.mode)");
        assertThat(PoolModeChoice.of(config, other, true, false).text())
                .isEqualTo("transaction (listen.transaction_port (6543))");
        assertThat(PoolModeChoice.of(config, app, true, true).mode()).isEqualTo(PoolMode.SESSION);
    }
}
