package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.proxy.localpg.ProcessResult;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Neon's serverless driver, unchanged, against Meridian's edge listener: {@code neon()} over
 * HTTP ({@code POST /sql}) and {@code Pool}/{@code Client} over WebSocket with {@code ws}. The
 * client logs in as {@code app} with its password (users file), and Meridian logs the backend
 * in with that same password (the backend has no user of its own).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EdgeDriverIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String URL = "postgres://app:app-secret@db.example.com/app";

    static Path dir;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PG.server("iad").execute("app", "CREATE TABLE IF NOT EXISTS items (id int primary key, v text)");
        PG.server("iad").execute("app", "GRANT ALL ON ALL TABLES IN SCHEMA public TO app");
        dir = Files.createTempDirectory("meridian-edge");
        Files.writeString(dir.resolve("users.txt"), "\"app\" \"" + PgServer.APP_PASSWORD + "\"\n");
        proxy = ProxyFixture.start(config(), Map.of("IAD_PORT", Integer.toString(PG.server("iad").port()),
                "USERS", dir.resolve("users.txt").toString(), "EDGE_PORT", Integer.toString(ProxyFixture.freePort())));
        NodeDriver.install();
    }

    static String config() {
        return OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}" }""",
                "auth: { users_file: \"${USERS}\", method: scram-sha-256 }",
                """
                databases:
                  app: { regions: [iad] }""",
                "edge: { listen: { host: 127.0.0.1, port: \"${EDGE_PORT}\" } }");
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static JsonNode node(String name, String body, Map<String, String> env) throws Exception {
        String script = """
                import { neon, neonConfig, Pool, Client } from '@neondatabase/serverless';
                import ws from 'ws';
                neonConfig.webSocketConstructor = ws;
                neonConfig.useSecureWebSocket = false;
                neonConfig.wsProxy = (host, port) => `127.0.0.1:${process.env.EDGE_PORT}/v2?address=${host}:${port}`;
                neonConfig.fetchEndpoint = `http://127.0.0.1:${process.env.EDGE_PORT}/sql`;
                const out = (v) => console.log(JSON.stringify(v));
                const fail = (e) => ({ error: e.message, code: e.code, position: e.position });
                """ + body;
        Map<String, String> all = new HashMap<>(env);
        all.put("EDGE_PORT", Integer.toString(proxy.server().edgePort()));
        all.putIfAbsent("URL", URL);
        ProcessResult r = NodeDriver.run(name, script, all);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        String[] lines = r.stdout().trim().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    @Test
    void httpTaggedTemplateAndParametersTypedAsByPostgres() throws Exception {
        JsonNode r = node("http-types", """
                const sql = neon(process.env.URL);
                const [row] = await sql`select ${41}::int + 1 as i, 12.50::numeric as n, '{"a":[1,2]}'::json as j,
                    array[1,2,3] as a, '\\\\x0102ff'::bytea as b, null::text as z,
                    '2024-01-02 03:04:05+00'::timestamptz as t, ${"it's"} as s, true as f`;
                const q = await sql.query('select $1::int8 as big, $2::text as t', ['9007199254740993', null]);
                out({ row: { ...row, b: [...row.b], t: row.t.toISOString() }, q });
                """, Map.of());
        JsonNode row = r.get("row");
        assertThat(row.get("i").asInt()).isEqualTo(42);
        assertThat(row.get("n").asText()).isEqualTo(jdbcString("select 12.50::numeric"));
        assertThat(row.get("j").get("a").toString()).isEqualTo("[1,2]");
        assertThat(row.get("a").toString()).isEqualTo("[1,2,3]");
        assertThat(row.get("b").toString()).isEqualTo("[1,2,255]");
        assertThat(row.get("z").isNull()).isTrue();
        assertThat(row.get("t").asText()).isEqualTo("2024-01-02T03:04:05.000Z");
        assertThat(row.get("s").asText()).isEqualTo("it's");
        assertThat(row.get("f").asBoolean()).isTrue();
        assertThat(r.get("q").get(0).get("big").asText()).isEqualTo("9007199254740993");
        assertThat(r.get("q").get(0).get("t").isNull()).isTrue();
    }

    @Test
    void httpFullResultsCarryCommandRowCountAndFields() throws Exception {
        JsonNode r = node("http-full", """
                const sql = neon(process.env.URL, { fullResults: true });
                await sql`delete from items where id >= 100`;
                const ins = await sql`insert into items values (100, 'a'), (101, 'b')`;
                const sel = await sql`select id, v from items where id >= 100 order by id`;
                out({ ins: { command: ins.command, rowCount: ins.rowCount },
                      sel: { command: sel.command, rowCount: sel.rowCount, rows: sel.rows,
                             fields: sel.fields.map(f => [f.name, f.dataTypeID]) } });
                """, Map.of());
        assertThat(r.get("ins").get("command").asText()).isEqualTo("INSERT");
        assertThat(r.get("ins").get("rowCount").asInt()).isEqualTo(2);
        assertThat(r.get("sel").get("rowCount").asInt()).isEqualTo(2);
        assertThat(r.get("sel").get("rows").toString()).isEqualTo("[{\"id\":100,\"v\":\"a\"},{\"id\":101,\"v\":\"b\"}]");
        assertThat(r.get("sel").get("fields").toString()).isEqualTo("[[\"id\",23],[\"v\",25]]");
    }

    @Test
    void httpTransactionRunsAsOneTransactionWithItsOptions() throws Exception {
        JsonNode r = node("http-tx", """
                const sql = neon(process.env.URL);
                const [a, b] = await sql.transaction([
                    sql`select current_setting('transaction_isolation') as iso, current_setting('transaction_read_only') as ro`,
                    sql`select txid_current() = txid_current() as same`,
                ], { isolationLevel: 'Serializable', readOnly: true });
                let failed;
                try {
                    await sql.transaction([sql`insert into items values (200, 'x')`, sql`select 1/0`]);
                } catch (e) { failed = fail(e); }
                const [{ n }] = await sql`select count(*)::int as n from items where id = 200`;
                out({ a, b, failed, n });
                """, Map.of());
        assertThat(r.get("a").get(0).get("iso").asText()).isEqualTo("serializable");
        assertThat(r.get("a").get(0).get("ro").asText()).isEqualTo("on");
        assertThat(r.get("failed").get("code").asText()).isEqualTo("22012");
        assertThat(r.get("n").asInt()).as("the failed batch rolled back").isZero();
    }

    @Test
    void httpErrorsCarryTheSqlState() throws Exception {
        JsonNode r = node("http-errors", """
                const sql = neon(process.env.URL);
                const errors = [];
                for (const q of ['select * from no_such_table', 'select 1 +']) {
                    try { await sql.query(q); } catch (e) { errors.push(fail(e)); }
                }
                try { await neon('postgres://app:wrong@h/app')`select 1`; } catch (e) { errors.push(fail(e)); }
                try { await neon('postgres://app:app-secret@h/nowhere_db_x')`select 1`; } catch (e) { errors.push({ error: e.message }); }
                out(errors);
                """, Map.of());
        assertThat(r.get(0).get("code").asText()).isEqualTo("42P01");
        assertThat(r.get(0).get("position").asText()).isEqualTo("15");
        assertThat(r.get(1).get("code").asText()).isEqualTo("42601");
        assertThat(r.get(2).get("code").asText()).isEqualTo("28P01");
        assertThat(r.get(3).get("error").asText()).contains("404").contains("3D000");
    }

    @Test
    void webSocketPoolAndClientWithAndWithoutPipelinedConnect() throws Exception {
        for (String pipeline : new String[] {"password", "false"}) {
            JsonNode r = node("ws-pool-" + pipeline, """
                    neonConfig.pipelineConnect = process.env.PIPELINE === 'password' ? 'password' : false;
                    const pool = new Pool({ connectionString: process.env.URL });
                    const a = await pool.query('select $1::int + 1 as n, current_user as u', [41]);
                    const client = await pool.connect();
                    await client.query('begin');
                    await client.query('insert into items values ($1, $2) on conflict (id) do update set v = excluded.v', [300, 'ws']);
                    await client.query('commit');
                    client.release();
                    const b = await pool.query('select v from items where id = 300');
                    let err;
                    try { await pool.query('select * from nope'); } catch (e) { err = fail(e); }
                    await pool.end();
                    const c = new Client(process.env.URL);
                    await c.connect();
                    const d = await c.query("select '\\\\x00ff'::bytea as b, array['a','b'] as arr");
                    await c.end();
                    out({ a: a.rows[0], b: b.rows[0], err, d: { b: [...d.rows[0].b], arr: d.rows[0].arr } });
                    """, Map.of("PIPELINE", pipeline));
            assertThat(r.get("a").get("n").asInt()).as(pipeline).isEqualTo(42);
            assertThat(r.get("a").get("u").asText()).isEqualTo("app");
            assertThat(r.get("b").get("v").asText()).isEqualTo("ws");
            assertThat(r.get("err").get("code").asText()).isEqualTo("42P01");
            assertThat(r.get("d").toString()).isEqualTo("{\"b\":[0,255],\"arr\":[\"a\",\"b\"]}");
        }
    }

    @Test
    void webSocketWrongPasswordIsRefusedWith28P01() throws Exception {
        JsonNode r = node("ws-badpw", """
                const c = new Client('postgres://app:nope@h/app');
                c.on('error', () => {});
                let err;
                try { await c.connect(); await c.query('select 1'); } catch (e) { err = fail(e); }
                out(err);
                """, Map.of());
        assertThat(r.get("code").asText()).isEqualTo("28P01");
    }

    @Test
    void listenNotifyOverWebSocket() throws Exception {
        JsonNode r = node("ws-notify", """
                const listener = new Client(process.env.URL);
                await listener.connect();
                const got = new Promise(resolve => listener.on('notification', m => resolve(m)));
                await listener.query('listen edge_chan');
                const talker = new Client(process.env.URL);
                await talker.connect();
                await talker.query("select pg_notify('edge_chan', 'hello over ws')");
                const m = await got;
                await talker.end();
                await listener.end();
                out({ channel: m.channel, payload: m.payload });
                """, Map.of());
        assertThat(r.get("channel").asText()).isEqualTo("edge_chan");
        assertThat(r.get("payload").asText()).isEqualTo("hello over ws");
    }

    private static String jdbcString(String sql) throws Exception {
        try (Connection c = proxy.connect("app", "app", PgServer.APP_PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
