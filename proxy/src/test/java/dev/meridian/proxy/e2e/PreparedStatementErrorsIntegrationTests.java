package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The errors and answers of protocol-level prepared statements, message for message, through
 * transaction mode (statements shared across two connections while another client keeps them
 * rotating) and through session mode (PostgreSQL's own answers, relayed): 26000 and 42P05
 * exactly where PostgreSQL raises them, errors in a batch skipping to Sync, Close of an unknown
 * name, DEALLOCATE and DEALLOCATE ALL.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PreparedStatementErrorsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture transaction;
    static ProxyFixture session;
    static ProxyFixture single;

    @BeforeAll
    static void start() throws Exception {
        transaction = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 2 }");
        session = OneRegion.start(PG, "pool: { mode: session }");
        single = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 1 }");
    }

    @AfterAll
    static void stop() {
        if (transaction != null) {
            transaction.close();
        }
        if (session != null) {
            session.close();
        }
        if (single != null) {
            single.close();
        }
    }

    private static byte[] msg(char type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size() + 4;
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(type);
        m.write(n >>> 24);
        m.write(n >>> 16);
        m.write(n >>> 8);
        m.write(n);
        m.writeBytes(body.toByteArray());
        return m.toByteArray();
    }

    private static byte[] s(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    static byte[] parse(String name, String sql) {
        return msg('P', s(name), s(sql), new byte[] {0, 0});
    }

    static byte[] bind(String statement) {
        return msg('B', s(""), s(statement), new byte[] {0, 0, 0, 0, 0, 0});
    }

    static byte[] describe(char kind, String name) {
        return msg('D', new byte[] {(byte) kind}, s(name));
    }

    static byte[] close(char kind, String name) {
        return msg('C', new byte[] {(byte) kind}, s(name));
    }

    static final byte[] EXECUTE = msg('E', s(""), new byte[4]);
    static final byte[] SYNC = msg('S');

    /** Every answer up to the {@code readies}-th ReadyForQuery, as "T", "E:26000", "Z:I"... */
    private static List<String> answers(RawClient c, int readies) throws Exception {
        List<String> out = new ArrayList<>();
        while (readies > 0) {
            RawClient.Message m = c.read();
            switch (m.type()) {
                case 'E' -> out.add("E:" + m.fields().get('C') + ":" + m.fields().get('M'));
                case 'Z' -> {
                    out.add("Z:" + m.text());
                    readies--;
                }
                case 'C', 'D', 'T', 't', 'n', '1', '2', '3' -> out.add(m.type() == 'C' ? "C:" + m.text().trim() : "" + m.type());
                default -> { } // notices, parameter status
            }
        }
        return out;
    }

    /** One script of requests, each followed by its answers: the whole transcript. */
    private static List<String> script(ProxyFixture p) throws Exception {
        List<String> t = new ArrayList<>();
        try (RawClient c = new RawClient("127.0.0.1", p.port())) {
            c.send(RawClient.startupPacket(196608, Map.of("user", "postgres", "database", "postgres")));
            c.readUntil('Z');
            step(t, c, 1, parse("a", "SELECT 1"), SYNC);
            step(t, c, 1, parse("a", "SELECT 2"), bind("a"), EXECUTE, SYNC); // 42P05, rest skipped
            step(t, c, 1, bind("a"), describe('P', ""), EXECUTE, SYNC); // still the first text
            step(t, c, 1, bind("zz"), EXECUTE, SYNC); // 26000
            step(t, c, 1, describe('S', "zz"), SYNC); // 26000
            step(t, c, 1, close('S', "zz"), SYNC); // not an error
            step(t, c, 1, RawClient.query("BEGIN"));
            step(t, c, 1, parse("a", "SELECT 3"), SYNC); // 42P05 fails the transaction
            step(t, c, 1, bind("a"), EXECUTE, SYNC); // 25P02
            step(t, c, 1, RawClient.query("ROLLBACK"));
            step(t, c, 1, describe('S', "a"), bind("a"), EXECUTE, SYNC);
            step(t, c, 1, parse("b", "SELECT 'b'"), parse("", "SELEC oops"), parse("c", "SELECT 'c'"), SYNC);
            step(t, c, 1, bind("c"), EXECUTE, SYNC); // c was skipped: 26000
            step(t, c, 1, bind("b"), EXECUTE, SYNC); // b was parsed before the error
            step(t, c, 1, close('S', "b"), bind("b"), EXECUTE, SYNC); // closed: 26000
            step(t, c, 1, parse("b", "SELECT 'b again'"), bind("b"), EXECUTE, SYNC); // the name is free
            step(t, c, 1, RawClient.query("DEALLOCATE b"));
            step(t, c, 1, bind("b"), EXECUTE, SYNC); // 26000
            step(t, c, 1, RawClient.query("DEALLOCATE ALL"));
            step(t, c, 1, bind("a"), EXECUTE, SYNC); // 26000
            step(t, c, 1, parse("a", "SELECT 'new a'"), bind("a"), EXECUTE, SYNC);
            // SQL and protocol statement names are one namespace (these pin, so they come last)
            step(t, c, 1, RawClient.query("PREPARE a AS SELECT 9")); // 42P05
            step(t, c, 1, RawClient.query("BEGIN"));
            step(t, c, 1, RawClient.query("PREPARE \"a\" (int) AS SELECT $1")); // 42P05 fails the transaction
            step(t, c, 1, RawClient.query("PREPARE a AS SELECT 9")); // 25P02
            step(t, c, 1, RawClient.query("ROLLBACK"));
            step(t, c, 1, RawClient.query("PREPARE sq AS SELECT 'sql'"));
            step(t, c, 1, bind("sq"), EXECUTE, SYNC); // a protocol Bind of a SQL-prepared name
        }
        return t;
    }

    private static void step(List<String> transcript, RawClient c, int readies, byte[]... messages) throws Exception {
        c.send(messages);
        try {
            transcript.add(String.join(" ", answers(c, readies)));
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer to step " + (transcript.size() + 1) + " after " + transcript, e);
        }
    }

    @Test
    void errorsAndAnswersAreThoseOfSessionMode() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread rotate = new Thread(() -> { // keeps the pool's two connections changing hands
            try (Connection c = DriverManager.getConnection(transaction.jdbcUrl("postgres")
                    + "?prepareThreshold=0&sslmode=disable", "postgres", "");
                 Statement st = c.createStatement()) {
                while (!stop.get()) {
                    st.execute("SELECT pg_sleep(0.002)");
                }
            } catch (Exception e) {
                // the proxy stops with the test
            }
        });
        rotate.start();
        try {
            List<String> expected = script(session);
            List<String> actual = script(transaction);
            assertThat(actual).isEqualTo(expected);
            assertThat(String.join("\n", expected)).contains("E:42P05", "E:26000", "E:25P02", "Z:E", "C:DEALLOCATE",
                    "C:DEALLOCATE ALL");
        } finally {
            stop.set(true);
            rotate.join(5000);
        }
    }

    /** Runs the statement "s" (Bind, Describe portal, Execute, Sync): answers, with the column count of 'T'. */
    private static String runS(RawClient c) throws Exception {
        c.send(bind("s"), describe('P', ""), EXECUTE, SYNC);
        List<String> out = new ArrayList<>();
        while (true) {
            RawClient.Message m = c.read();
            switch (m.type()) {
                case 'E' -> out.add("E:" + m.fields().get('C'));
                case 'T' -> out.add("T" + (((m.body()[0] & 0xFF) << 8) | (m.body()[1] & 0xFF)));
                case 'Z' -> {
                    out.add("Z:" + m.text());
                    return String.join(" ", out);
                }
                default -> out.add(String.valueOf(m.type()));
            }
        }
    }

    /**
     * DDL changes the result columns of a prepared statement: PostgreSQL answers the next Bind
     * with 0A000 (session mode shows it); in transaction mode Meridian re-prepares the statement
     * and runs the request again, as nothing of it had reached the client.
     */
    @Test
    void aCachedPlanThatChangedResultTypeIsRePreparedAndRetriedOnce() throws Exception {
        try (Connection ddl = PG.server("iad").connect("postgres"); Statement st = ddl.createStatement()) {
            st.execute("DROP TABLE IF EXISTS prep_retry");
            st.execute("CREATE TABLE prep_retry (a int)");
            st.execute("INSERT INTO prep_retry VALUES (1)");
            for (ProxyFixture p : new ProxyFixture[] {session, single}) {
                try (RawClient c = new RawClient("127.0.0.1", p.port())) {
                    c.send(RawClient.startupPacket(196608, Map.of("user", "postgres", "database", "postgres")));
                    c.readUntil('Z');
                    c.send(parse("s", "SELECT * FROM prep_retry"), SYNC);
                    assertThat(answers(c, 1)).containsExactly("1", "Z:I");
                    assertThat(runS(c)).isEqualTo("2 T1 D C Z:I");
                    st.execute("ALTER TABLE prep_retry ADD COLUMN b text DEFAULT 'x'");
                    if (p == session) {
                        assertThat(runS(c)).as("PostgreSQL itself").isEqualTo("E:0A000 Z:I");
                    } else {
                        assertThat(runS(c)).as("through transaction mode").isEqualTo("2 T2 D C Z:I");
                        assertThat(runS(c)).isEqualTo("2 T2 D C Z:I");
                    }
                }
                st.execute("ALTER TABLE prep_retry DROP COLUMN b");
            }
        }
    }
}
