#!/usr/bin/env bash
# Meridian vs direct PostgreSQL vs PgBouncer vs HAProxy (TCP), measured side by side on this
# machine, in interleaved rounds, reported as medians and ratios, with p50/p99 latency, proxy CPU
# per transaction and peak RSS for every row.
#
#   bench/run.sh [--seconds N] [--rounds R] [--scale S] [--scenarios "S1 S16 ..."]
#                [--auth trust|scram] [--pgbouncer PATH] [--pgbouncer-old PATH]
#                [--targets "direct pgbouncer ..."] [--candidate JAR] [--warmup SECONDS]
#                [--txn-pool N]
#
# Scenarios: S1/S16/S64 = pgbench -S at 1/16/64 clients, P1/P16 = -S -M prepared at 1/16,
# TPCB16 = the default TPC-B-like script at 16, C4/C16/C64 = -S -C (a new connection per
# transaction) at 4/16/64 clients: all in session mode. T64/T256/T1000 = -S at 64/256/1000 clients
# and TP64/TP256/TP1000 = the same with -M prepared, in transaction mode: against a second
# PgBouncer (pool_mode=transaction, max_prepared_statements=200) and a second Meridian
# (pool.mode: transaction), both with a pool of --txn-pool (default 20) server connections and a
# query wait timeout of --seconds + 10 s (a client that cannot get a connection, e.g. behind
# clients pinned by named prepared statements, fails inside the run instead of hanging it for
# the default 120 s; such clients are counted in the "aborted" column). Direct and HAProxy have
# no transaction mode and skip the T rows. --auth: how clients authenticate to every target
# (trust, or SCRAM-SHA-256 against the same verifier for Meridian and PgBouncer, and PostgreSQL's
# own). --pgbouncer: the binary to compare with; default bench/pgbouncer.sh's 1.24.1 build
# (which falls back to the packaged 1.18, labelled). --pgbouncer-old PATH: one more target,
# "pgbouncer_old" (e.g. /usr/sbin/pgbouncer, Debian 12's 1.18), session rows only, for history.
# --candidate: a second Meridian from another build, same config, as one more target
# ("candidate"), so that a change is measured side by side with the build it changes; with
# CANDIDATE_JAVA_OPTS="..." (and --candidate of the same jar) it measures JVM options instead
# (MERIDIAN_JAVA_OPTS: the others'; default -Xms512m -Xmx512m -XX:+UseParallelGC).
# --warmup (default 10): seconds of S16 when an S/P/TPCB scenario runs, of C4 when a C one does
# and of T64 when a T one does, against each target before the rounds: a JVM compiles the
# session set-up path late (C2 was still busy 25 s into a -C storm on a loaded box), and
# PgBouncer needs none; shorter warm-ups measure the JIT.
# Needs the Debian packages postgresql (server + pgbench), pgbouncer, haproxy, and a JDK.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=10 ROUNDS=3 SCALE=10 SCENARIOS="S1 S16 S64 P16 TPCB16 C16" AUTH=trust
PGBOUNCER="" TARGETS="direct pgbouncer haproxy meridian" CANDIDATE="" WARMUP=10 OLD_BOUNCER="" TXN_POOL=20
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --auth) AUTH=$2; shift 2 ;;
    --pgbouncer) PGBOUNCER=$2; shift 2 ;;
    --pgbouncer-old) OLD_BOUNCER=$2; TARGETS="$TARGETS pgbouncer_old"; shift 2 ;;
    --txn-pool) TXN_POOL=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --candidate) CANDIDATE=$(realpath "$2"); TARGETS="$TARGETS candidate"; shift 2 ;;
    -h|--help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$AUTH" in trust|scram) ;; *) echo "--auth must be trust or scram" >&2; exit 2 ;; esac
[ -n "$PGBOUNCER" ] || PGBOUNCER=$(bench/pgbouncer.sh)
[ -x "$PGBOUNCER" ] || { echo "--pgbouncer $PGBOUNCER: not an executable" >&2; exit 2; }
BOUNCER_VERSION=$("$PGBOUNCER" --version | head -1)
[ -z "$OLD_BOUNCER" ] || [ -x "$OLD_BOUNCER" ] || { echo "--pgbouncer-old $OLD_BOUNCER: not an executable" >&2; exit 2; }
TXN=""; case " $SCENARIOS " in *" T"*) TXN=1 ;; esac
# 1000 clients: pgbench, PgBouncer and Meridian each hold a socket per client.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

. bench/lib.sh
bench_init haproxy
PGPORT=$(free_port) BOUNCER=$(free_port) HAPROXY=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)
echo "# starting PostgreSQL on $PGPORT (scale $SCALE); $BOUNCER_VERSION; client auth $AUTH"
start_postgres "$PGPORT" "$SCALE" 500
if [ "$AUTH" = trust ]; then  # direct: PostgreSQL trusts loopback clients too
  sed -i 's/scram-sha-256$/trust/' "$work/pg/pg_hba.conf"
  as_pg "$bindir/pg_ctl" -D "$work/pg" reload >/dev/null
fi
# PostgreSQL's own verifier for Meridian and PgBouncer (PgBouncer's auth_file format is Meridian's
# users_file): PgBouncer logs into the server with the client's SCRAM keys, so the salts must match.
"$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
  "SELECT '\"postgres\" \"' || rolpassword || '\"' FROM pg_authid WHERE rolname = 'postgres'" postgres > "$work/userlist.txt"
BOUNCER_AUTH=$( [ "$AUTH" = scram ] && echo scram-sha-256 || echo trust)
AUTH_YAML=$( [ "$AUTH" = scram ] && echo "auth: { users_file: $work/userlist.txt, method: scram-sha-256 }" || echo "auth: { method: trust }")
WAIT_TIMEOUT=$((SECONDS_PER_RUN + 10))
declare -A PORT=([direct]=$PGPORT) PID=() JARS=([meridian]=$JAR [candidate]=$CANDIDATE)

start_pgbouncer "$PGBOUNCER" "$BOUNCER" "$PGPORT" "$BOUNCER_AUTH"
PORT[pgbouncer]=$BOUNCER PID[pgbouncer]=$(cat "$work/pgbouncer.pid")
if [ -n "$OLD_BOUNCER" ]; then
  PORT[pgbouncer_old]=$(free_port)
  BOUNCER_NAME=pgbouncer_old start_pgbouncer "$OLD_BOUNCER" "${PORT[pgbouncer_old]}" "$PGPORT" "$BOUNCER_AUTH"
  PID[pgbouncer_old]=$(cat "$work/pgbouncer_old.pid")
fi
case " $TARGETS " in *" haproxy "*)
  PORT[haproxy]=$HAPROXY; start_haproxy "$HAPROXY" "$PGPORT"; PID[haproxy]=$HAPROXY_PID; wait_port "$HAPROXY" ;;
esac
# start_meridians NAME [YAML...]: "meridian" (and "candidate" with --candidate) on fresh ports.
start_meridians() {
  local name=$1 key port; shift
  for key in meridian candidate; do
    [ -n "${JARS[$key]}" ] || continue
    port=$(free_port)
    meridian_yaml "$port" "$(free_port)" "$PGPORT" "$AUTH_YAML" "$@"
    [ "$key$name" = meridian ] || mv "$work/meridian.yaml" "$work/$key$name.yaml"
    start_meridian_as "$key$name" "${JARS[$key]}" "$port" "$( [ $key = candidate ] && echo "${CANDIDATE_JAVA_OPTS:-}")"
    PORT[$key$name]=$port PID[$key$name]=$STARTED_PID
  done
}
start_meridians ""
if [ -n "$TXN" ]; then  # the transaction-mode twins: "<target>_txn"
  BOUNCER_NAME=pgbouncer_txn BOUNCER_EXTRA="pool_mode = transaction\nmax_prepared_statements = 200\nquery_wait_timeout = $WAIT_TIMEOUT" \
    start_pgbouncer "$PGBOUNCER" "$(free_port)" "$PGPORT" "$BOUNCER_AUTH" "$TXN_POOL"
  PORT[pgbouncer_txn]=$(awk '/^listen_port/ {print $3}' "$work/pgbouncer_txn.ini")
  PID[pgbouncer_txn]=$(cat "$work/pgbouncer_txn.pid")
  start_meridians _txn "pool: { mode: transaction, max_per_backend: $TXN_POOL }" \
    "limits: { query_wait_timeout: ${WAIT_TIMEOUT}s }"
fi

args_for() {
  case "$1" in
    S1) echo "-S -c 1 -j 1" ;; S16) echo "-S -c 16 -j 2" ;; S64) echo "-S -c 64 -j 2" ;;
    P1) echo "-S -M prepared -c 1 -j 1" ;; P16) echo "-S -M prepared -c 16 -j 2" ;;
    TPCB16) echo "-c 16 -j 2" ;;
    C4) echo "-S -C -c 4 -j 2" ;; C16) echo "-S -C -c 16 -j 2" ;; C64) echo "-S -C -c 64 -j 2" ;;
    T64|T256|T1000) echo "-S -c ${1#T} -j 2" ;;
    TP64|TP256|TP1000) echo "-S -M prepared -c ${1#TP} -j 2" ;;
    *) echo "unknown scenario $1" >&2; exit 2 ;;
  esac
}
for s in $SCENARIOS; do args_for "$s" >/dev/null; done
# The process a scenario runs against for a target: T rows go to its transaction-mode twin, and
# targets without one (direct, HAProxy, the old PgBouncer) skip them.
instance() {  # scenario target
  case "$1" in
    T*) [ -n "${PORT[$2_txn]:-}" ] && echo "$2_txn" ;;
    *) echo "$2" ;;
  esac
}
cpu_ticks() { if [ -n "${PID[$1]:-}" ]; then awk '{print $14 + $15}' "/proc/${PID[$1]}/stat"; else echo 0; fi; }
results=$work/results.tsv
# One pgbench run; with "record", a results line: scenario target tps tx proxy-ticks p50 p99 load
# aborted-clients. A run with aborted clients still has a result (pgbench prints it), kept.
run_one() {  # scenario target seconds record?
  local out ticks0 ticks1 tps tx aborted key prefix=$work/log/$1-$2-$RANDOM
  key=$(instance "$1" "$2") || return 0
  mkdir -p "$work/log"; [ "$(id -u)" = 0 ] && chown postgres: "$work/log"
  ticks0=$(cpu_ticks "$key")
  out=$(cd "$work/log" && "$bindir/pgbench" -n $(args_for "$1") -T "$3" -l --log-prefix="$prefix" \
    -h 127.0.0.1 -p "${PORT[$key]}" -U postgres bench 2>&1) || true
  ticks1=$(cpu_ticks "$key")
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
  [ -n "$tps" ] || tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
  tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
  aborted=$(echo "$out" | grep -cE 'client [0-9]+ aborted' || true)
  if [ -z "$tps" ] || [ -z "$tx" ]; then
    echo "pgbench $1 on $2 failed:" >&2; echo "$out" | tail -5 >&2; rm -f "$prefix".*; return 0
  fi
  [ "$aborted" = 0 ] || echo "pgbench $1 on $2: $aborted clients aborted, e.g. $(echo "$out" | grep -m1 -E 'client [0-9]+ aborted')" >&2
  [ "$4" = record ] && printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$tps" "$tx" $((ticks1 - ticks0)) \
    "$(python3 "$ROOT/bench/latency.py" "$1" "$prefix")" "$(cut -d' ' -f1 /proc/loadavg)" "$aborted" >> "$results"
  rm -f "$prefix".*
  return 0
}

read -r -a targets <<< "$TARGETS"
echo "# warm-up (JIT, caches)"
for t in "${targets[@]}"; do
  [ "$t" = direct ] && continue
  # Each shape that runs warms its own instance: S16 the session-mode one, C4 its set-up path,
  # T64 the transaction-mode one.
  case " $SCENARIOS " in *" S"*|*" P"*|*" TPCB"*) run_one S16 "$t" "$WARMUP" no ;; esac
  case " $SCENARIOS " in *" C"*) run_one C4 "$t" "$WARMUP" no ;; esac
  [ -z "$TXN" ] || run_one T64 "$t" "$WARMUP" no
done
for r in $(seq "$ROUNDS"); do
  for s in $SCENARIOS; do
    here=()  # the targets this scenario runs against
    for t in "${targets[@]}"; do instance "$s" "$t" >/dev/null && here+=("$t"); done
    # Rotate the order every round so no target always runs first or last.
    for i in $(seq 0 $((${#here[@]} - 1))); do
      run_one "$s" "${here[$(( (i + r) % ${#here[@]} ))]}" "$SECONDS_PER_RUN" record
    done
  done
  echo "# round $r of $ROUNDS done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
rss=""
for key in "${!PID[@]}"; do rss="$rss $key=$(proc_hwm_kb "${PID[$key]}")"; done
old=""; [ -z "$OLD_BOUNCER" ] || old="; pgbouncer_old: $("$OLD_BOUNCER" --version | head -1)"
python3 "$ROOT/bench/report.py" --results "$results" \
  --clk-tck "$(getconf CLK_TCK)" --rss "$rss" --seconds "$SECONDS_PER_RUN" --rounds "$ROUNDS" \
  --targets "$TARGETS" --title "auth $AUTH; $BOUNCER_VERSION$old; transaction pools $TXN_POOL; $(nproc) cores"
