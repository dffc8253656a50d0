#!/usr/bin/env bash
# Read routing per transaction (issue #19): what `target: auto` gains for reads when the primary is
# far and a replica near, and what the read-your-writes guarantee costs.
#
#   client (pgjdbc, "in lhr") -> Meridian (region lhr, transaction pooling)
#       -> near-lhr: streaming replica (pg_basebackup -R), direct
#       -> far-iad:  primary, only through a delay relay (--delay-ms each way)
#   replica -> its own delay relay (--replication-delay-ms, default = --delay-ms) -> primary
#
# Replication streams through a delay relay too, so the replica replays a commit at least one
# one-way delay after it: a read right after a client's own write cannot be served by the replica
# at once, which is what read-your-writes costs. The client is located by Meridian's own
# `region: lhr` (a TCP client with no geo match is taken to be in the instance's region).
#
# Workload (bench/jmh ReadRouteClient): --clients pgjdbc clients, each a loop of 9 reads of its
# own row (SELECT v, pg_is_in_recovery() FROM kv WHERE id = $1) and 1 write (UPDATE kv SET v = v + 1
# WHERE id = $1 RETURNING v), autocommit. Configurations, in interleaved rounds (order rotated):
#   read-write   -c meridian.target=read-write: everything to the far primary
#   auto         target: auto, health.causal_wait 50ms (the default)
#   auto-split   the same mix, but each client writes over a second connection: the reading
#                session never wrote, so no read-your-writes floor is tracked for it (there is no
#                switch to turn the guarantee off); its stale reads are counted, and allowed
#   auto-cw0     causal_wait 0: a read after the client's write goes to the primary at once
#   auto-cw200   causal_wait 200ms
# A stale read (v below what the client's own last write returned) in any but auto-split is a bug.
#
#   bench/readroute.sh [--delay-ms 40] [--replication-delay-ms 40] [--clients 16] [--seconds 15]
#                      [--warmup-seconds 3] [--rounds 3] [--configs "read-write auto auto-split"]
#                      [--health-interval 2s] [--prepare-threshold 5] [--think-ms 0]
# --think-ms: each client pauses that long before each statement (not timed; 0: back to back).
# --prepare-threshold is pgjdbc's (5, its default: named statements from the 5th use; 0: unnamed only).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DELAY_MS=40 REPL_DELAY_MS= CLIENTS=16 RUN_SECONDS=15 WARMUP=3 ROUNDS=3 INTERVAL=2s PREPARE_THRESHOLD=5 THINK_MS=0
CONFIGS="read-write auto auto-split auto-cw0 auto-cw200"
while [ $# -gt 0 ]; do
  case "$1" in
    --delay-ms) DELAY_MS=$2; shift 2 ;;
    --replication-delay-ms) REPL_DELAY_MS=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --seconds) RUN_SECONDS=$2; shift 2 ;;
    --warmup-seconds) WARMUP=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --configs) CONFIGS=$2; shift 2 ;;
    --health-interval) INTERVAL=$2; shift 2 ;;
    --prepare-threshold) PREPARE_THRESHOLD=$2; shift 2 ;;
    --think-ms) THINK_MS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
REPL_DELAY_MS=${REPL_DELAY_MS:-$DELAY_MS}
for c in $CONFIGS; do
  case "$c" in read-write|auto|auto-split|auto-cw0|auto-cw200) ;; *) echo "unknown configuration $c" >&2; exit 2 ;; esac
done

bench_init
[ -x "$bindir/pg_basebackup" ] || { echo "missing $bindir/pg_basebackup: apt-get install -y postgresql" >&2; exit 1; }
BENCH_JAR=$ROOT/bench/jmh/target/benchmarks.jar
[ -f "$BENCH_JAR" ] || ./mvnw -B -q -Pbenchmarks -DskipTests package -pl bench/jmh -am
rr_cleanup() {
  as_pg "$bindir/pg_ctl" -D "$work/replica" -m immediate stop >/dev/null 2>&1 || true
  bench_cleanup
}
trap rr_cleanup EXIT

PGPORT=$(free_port) REPLICA_PORT=$(free_port) RELAY_M=$(free_port) RELAY_R=$(free_port)
echo "# load at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "# primary (far-iad) on $PGPORT behind relay $RELAY_M ($DELAY_MS ms each way); replica (near-lhr) on $REPLICA_PORT,"
echo "# streaming through relay $RELAY_R ($REPL_DELAY_MS ms each way)"
start_postgres "$PGPORT" 1 200
psql_primary() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }
# fsync stays off, but a commit is flushed (so streamed) at once, not by the WAL writer 200 ms later.
psql_primary postgres -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
psql_primary bench -c "CREATE TABLE kv (id int PRIMARY KEY, v bigint NOT NULL)" \
  -c "INSERT INTO kv SELECT g, 0 FROM generate_series(1, greatest(1000, $CLIENTS)) g" -c "VACUUM ANALYZE kv"

relay() {  # LISTEN DELAY
  java -Xms64m -Xmx64m -cp "$BENCH_JAR" dev.meridian.bench.wan.DelayRelay "$1" "127.0.0.1:$PGPORT" "$2" \
    > "$work/relay-$1.log" 2>&1 & pids+=($!)
  wait_port "$1"
}
relay "$RELAY_M" "$DELAY_MS"
relay "$RELAY_R" "$REPL_DELAY_MS"

as_pg "$bindir/pg_basebackup" -d "host=127.0.0.1 port=$PGPORT user=postgres password=$PASS" \
  -D "$work/replica" -X stream -R -c fast
cat >> "$work/replica/postgresql.conf" <<CONF
port = $REPLICA_PORT
CONF
cat >> "$work/replica/postgresql.auto.conf" <<CONF
primary_conninfo = 'host=127.0.0.1 port=$RELAY_R user=postgres password=$PASS application_name=near-lhr'
CONF
as_pg "$bindir/pg_ctl" -D "$work/replica" -l "$work/replica.log" -w start >/dev/null

# One Meridian per causal_wait the configurations need; read-write and auto-split use the 50ms one.
declare -A PORT ADMIN
meridian_for() { case "$1" in auto-cw0) echo cw0 ;; auto-cw200) echo cw200 ;; *) echo cw50 ;; esac; }
for inst in $(for c in $CONFIGS; do meridian_for "$c"; done | sort -u); do
  case $inst in cw0) wait=0s ;; cw200) wait=200ms ;; *) wait=50ms ;; esac
  PORT[$inst]=$(free_port) ADMIN[$inst]=$(free_port)
  cat > "$work/$inst.yaml" <<CONF
listen: { host: 127.0.0.1, port: ${PORT[$inst]} }
admin: { host: 127.0.0.1, port: ${ADMIN[$inst]} }
region: lhr
auth: { method: trust }
backends:
  - { name: far-iad, region: iad, role: primary, host: 127.0.0.1, port: $RELAY_M, user: postgres, password: "$PASS", tls: { mode: disable } }
  - { name: near-lhr, region: lhr, role: replica, host: 127.0.0.1, port: $REPLICA_PORT, user: postgres, password: "$PASS", tls: { mode: disable } }
databases:
  "*": { regions: [iad, lhr], pool_mode: transaction, target: auto }
health: { interval: $INTERVAL, timeout: 2s, causal_wait: $wait }
CONF
  start_meridian_as "$inst" "$JAR" "${PORT[$inst]}" "${MERIDIAN_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}"
done

# Ready: both backends up, and the replica's lag measured (it takes no reads before).
for inst in "${!ADMIN[@]}"; do
  python3 - "${ADMIN[$inst]}" <<'PY' || { tail -n 20 "$work/$inst.log" >&2; exit 1; }
import re, sys, time, urllib.request
port = sys.argv[1]
for _ in range(300):
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
        m = re.search(r'meridian_replica_lag_seconds\{[^}]*backend="near-lhr"[^}]*\} (\S+)', text)
        if m and m.group(1) != "NaN":
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(f"Meridian (admin {port}): the replica's lag is never measured")
PY
done

# meridian_read_routing_total per decision (all regions summed) and fresh backend logins, as JSON.
routing() {
  python3 - "$1" <<'PY'
import json, re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
out = {}
for m in re.finditer(r'meridian_read_routing_total\{([^}]*)\} (\S+)', text):
    d = re.search(r'decision="([^"]+)"', m.group(1)).group(1)
    out[d] = out.get(d, 0) + float(m.group(2))
# Backend logins made while a client waited (not from the pool): over the relay, several round trips.
for m in re.finditer(r'meridian_backend_connect_seconds_count\{([^}]*pooled="false"[^}]*)\} (\S+)', text):
    b = "login " + re.search(r'backend="([^"]+)"', m.group(1)).group(1)
    out[b] = out.get(b, 0) + float(m.group(2))
print(json.dumps(out))
PY
}

results=$work/results.jsonl
cfgs=($CONFIGS)
echo "# $CLIENTS clients, ${WARMUP}s warm-up + ${RUN_SECONDS}s per run, $ROUNDS interleaved rounds: ${cfgs[*]}"
for round in $(seq "$ROUNDS"); do
  for k in $(seq 0 $((${#cfgs[@]} - 1))); do
    cfg=${cfgs[$(( (round - 1 + k) % ${#cfgs[@]} ))]}
    inst=$(meridian_for "$cfg")
    args=(--url "127.0.0.1:${PORT[$inst]}/bench" --user postgres --clients "$CLIENTS" --seconds "$RUN_SECONDS"
          --warmup-seconds "$WARMUP" --label "$cfg" --round "$round" --prepare-threshold "$PREPARE_THRESHOLD"
          --think-ms "$THINK_MS")
    [ "$cfg" = read-write ] && args+=(--options "-c meridian.target=read-write")
    [ "$cfg" = auto-split ] && args+=(--split)
    before=$(routing "${ADMIN[$inst]}")
    # A client that did not finish still reports (and exits 1): the run goes on.
    line=$(java -Xms256m -Xmx256m -cp "$BENCH_JAR" dev.meridian.bench.readroute.ReadRouteClient "${args[@]}") || true
    after=$(routing "${ADMIN[$inst]}")
    python3 - "$line" "$before" "$after" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY' | tee -a "$results"
import json, sys
r, b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
r["routing"] = {k: int(a[k] - b.get(k, 0)) for k in sorted(a) if a[k] - b.get(k, 0) > 0}
r["load1"] = float(sys.argv[4])
print(json.dumps(r))
PY
  done
done
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for inst in "${!ADMIN[@]}"; do
  n=$(grep -c -E ' (ERROR|WARN) ' "$work/$inst.log" || true)
  [ "$n" = 0 ] || { echo "# Meridian $inst logged $n ERROR/WARN lines, the last ones:"; grep -E ' (ERROR|WARN) ' "$work/$inst.log" | tail -n 5; }
done
python3 - "$results" "$DELAY_MS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
order = []
for r in rows:
    order.count(r["label"]) or order.append(r["label"])
med = lambda xs: statistics.median(xs)
print(f"\nmedians over rounds (ms; one-way delay {sys.argv[2]} ms to the primary):\n")
print("| config | read p50 | read p90 | read p99 | read after own write p50 / p99 | write p50 | write p99 | statements/s "
      "| reads on the replica | routing decisions (Meridian, all rounds) | stale reads | errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
for label in order:
    rs = [r for r in rows if r["label"] == label]
    m = lambda k: med([r[k] for r in rs])
    dec = {}
    for r in rs:
        for k, v in r["routing"].items():
            if not k.startswith("login "):
                dec[k] = dec.get(k, 0) + v
    total = sum(dec.values()) or 1
    decs = ", ".join(f"{k} {100 * v / total:.1f} %" for k, v in sorted(dec.items(), key=lambda kv: -kv[1])) or "-"
    print(f"| {label} | {m('read_p50'):.2f} | {m('read_p90'):.2f} | {m('read_p99'):.2f} | {m('read_after_write_p50'):.2f} / "
          f"{m('read_after_write_p99'):.2f} | {m('write_p50'):.2f} | {m('write_p99'):.2f} | {m('tps'):.0f} "
          f"| {100 * m('replica_share'):.1f} % | {decs} | {sum(r['stale_reads'] for r in rs)} "
          f"| {sum(r['errors'] for r in rs)} |")
print(f"\nload (1 min) during the runs: {min(r['load1'] for r in rows):.1f}-{max(r['load1'] for r in rows):.1f}")
PY
