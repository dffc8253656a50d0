// Many real driver clients at once, each running a few transactions with prepared statements.
// Usage: node txn-drivers.js <pg|postgres> <port> <clients> <concurrency>
// Prints one JSON line: { errors: [...], results: [per-client results, in client order] }.
// With concurrency == clients every client is connected at the same time (node-postgres waits
// until all are connected before any starts its work).
const [driver, port, clients, concurrency] = [process.argv[2], +process.argv[3], +process.argv[4], +process.argv[5]];
const conn = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
const errors = [];
const results = new Array(clients);

function limiter(n) {
  let active = 0; const queue = [];
  const next = () => { if (active < n && queue.length) { active++; queue.shift()(); } };
  return fn => new Promise((resolve, reject) => {
    queue.push(() => fn().then(resolve, reject).finally(() => { active--; next(); }));
    next();
  });
}

async function withPg(i, arrived) {
  const { Client } = require('pg');
  const c = new Client(conn);
  c.on('error', e => errors.push(`client ${i} error event ${e.code || ''} ${e.message}`));
  try {
    await c.connect();
  } catch (e) {
    arrived(); // the others must not wait for a client that will never arrive
    throw e;
  }
  await arrived();
  const out = [];
  try {
    out.push((await c.query(`SET application_name = 'js${i}'`)).command);
    for (let k = 1; k <= 3; k++) {
      await c.query('BEGIN');
      const ins = await c.query({ name: 'ins', text: 'INSERT INTO js_txn (driver, client, n) VALUES ($1, $2, $3) RETURNING n', values: ['pg', i, k] });
      const sum = await c.query({ name: 'sum', text: 'SELECT sum(n)::int AS s, count(*)::int AS c FROM js_txn WHERE driver = $1 AND client = $2', values: ['pg', i] });
      await c.query(k === 2 ? 'ROLLBACK' : 'COMMIT');
      out.push([ins.rows[0].n, sum.rows[0]]);
    }
    out.push((await c.query('SELECT $1::int * 2 AS d', [i])).rows[0].d);
    out.push((await c.query({ name: 'twice', text: 'SELECT $1::int * 2 AS d', values: [i + 1] })).rows[0].d);
    out.push((await c.query('SHOW application_name')).rows[0].application_name);
    try {
      await c.query({ name: 'div', text: 'SELECT 1 / $1::int AS q', values: [0] });
      out.push('no error');
    } catch (e) {
      out.push(e.code);
    }
    out.push((await c.query({ name: 'sum', text: 'SELECT sum(n)::int AS s, count(*)::int AS c FROM js_txn WHERE driver = $1 AND client = $2', values: ['pg', i] })).rows[0]);
  } finally {
    await c.end();
  }
  return out;
}

async function withPostgresJs(i) {
  const postgres = require('postgres');
  const sql = postgres({ ...conn, max: 1, prepare: true, onnotice: () => {} });
  const out = [];
  try {
    for (let k = 1; k <= 3; k++) {
      try {
        const r = await sql.begin(async tx => {
          const [ins] = await tx`INSERT INTO js_txn (driver, client, n) VALUES ('postgres', ${i}, ${k}) RETURNING n`;
          const [sum] = await tx`SELECT sum(n)::int AS s, count(*)::int AS c FROM js_txn WHERE driver = 'postgres' AND client = ${i}`;
          if (k === 2) throw Object.assign(new Error('roll back'), { rollback: [ins.n, sum] });
          return [ins.n, sum];
        });
        out.push(r);
      } catch (e) {
        if (!e.rollback) throw e;
        out.push(e.rollback);
      }
    }
    out.push((await sql`SELECT ${i}::int * 2 AS d`)[0].d);
    try {
      await sql`SELECT 1 / ${0}::int AS q`;
      out.push('no error');
    } catch (e) {
      out.push(e.code);
    }
    out.push((await sql`SELECT sum(n)::int AS s, count(*)::int AS c FROM js_txn WHERE driver = 'postgres' AND client = ${i}`)[0]);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return out;
}

(async () => {
  const limit = limiter(concurrency);
  let release;
  const everyoneConnected = new Promise(r => { release = r; });
  let connected = 0;
  const arrived = () => {
    if (++connected === clients || concurrency < clients) release();
    return everyoneConnected;
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => limit(async () => {
    try {
      results[i] = driver === 'pg' ? await withPg(i, arrived) : await withPostgresJs(i);
    } catch (e) {
      errors.push(`client ${i}: ${e.code || ''} ${e.message}`);
    }
  })));
  console.log(JSON.stringify({ errors, results }));
  process.exit(0);
})();
