#!/usr/bin/env bash
# Meridian vs direct PostgreSQL vs PgBouncer (session mode) vs HAProxy (TCP), measured side
# by side on this machine, in interleaved rounds, reported as medians and ratios, with p50/p99
# latency, proxy CPU per transaction and peak RSS for every row.
#
#   bench/run.sh [--seconds N] [--rounds R] [--scale S] [--scenarios "S1 S16 ..."]
#                [--auth trust|scram] [--pgbouncer PATH] [--targets "direct pgbouncer ..."]
#                [--candidate JAR] [--warmup SECONDS]
#
# Scenarios: S1/S16/S64 = pgbench -S at 1/16/64 clients, P1/P16 = -S -M prepared at 1/16,
# TPCB16 = the default TPC-B-like script at 16, C4/C16/C64 = -S -C (a new connection per
# transaction) at 4/16/64 clients. --auth: how clients authenticate to every target (trust, or
# SCRAM-SHA-256 against the same verifier for Meridian and PgBouncer, and PostgreSQL's own).
# --pgbouncer: the binary to compare with; default bench/pgbouncer.sh's 1.24.1 build (which falls
# back to the packaged 1.18, labelled); --pgbouncer /usr/sbin/pgbouncer for Debian 12's 1.18.
# --candidate: a second Meridian from another build, same config, as one more target
# ("candidate"), so that a change is measured side by side with the build it changes.
# --warmup (default 10): seconds of S16, and of C4 when a C scenario runs, against each target
# before the rounds: a JVM compiles the session set-up path late (C2 was still busy 25 s into a
# -C storm on a loaded box), and PgBouncer needs none; shorter warm-ups measure the JIT.
# Needs the Debian packages postgresql (server + pgbench), pgbouncer, haproxy, and a JDK.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=10 ROUNDS=3 SCALE=10 SCENARIOS="S1 S16 S64 P16 TPCB16 C16" AUTH=trust
PGBOUNCER="" TARGETS="direct pgbouncer haproxy meridian" CANDIDATE="" WARMUP=10
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --auth) AUTH=$2; shift 2 ;;
    --pgbouncer) PGBOUNCER=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --candidate) CANDIDATE=$(realpath "$2"); TARGETS="$TARGETS candidate"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$AUTH" in trust|scram) ;; *) echo "--auth must be trust or scram" >&2; exit 2 ;; esac
[ -n "$PGBOUNCER" ] || PGBOUNCER=$(bench/pgbouncer.sh)
[ -x "$PGBOUNCER" ] || { echo "--pgbouncer $PGBOUNCER: not an executable" >&2; exit 2; }
BOUNCER_VERSION=$("$PGBOUNCER" --version | head -1)

. bench/lib.sh
bench_init haproxy
PGPORT=$(free_port) BOUNCER=$(free_port) HAPROXY=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)
echo "# starting PostgreSQL on $PGPORT (scale $SCALE); $BOUNCER_VERSION; client auth $AUTH"
start_postgres "$PGPORT" "$SCALE" 400
if [ "$AUTH" = trust ]; then  # direct: PostgreSQL trusts loopback clients too
  sed -i 's/scram-sha-256$/trust/' "$work/pg/pg_hba.conf"
  as_pg "$bindir/pg_ctl" -D "$work/pg" reload >/dev/null
fi
# PostgreSQL's own verifier for Meridian and PgBouncer (PgBouncer's auth_file format is Meridian's
# users_file): PgBouncer logs into the server with the client's SCRAM keys, so the salts must match.
"$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
  "SELECT '\"postgres\" \"' || rolpassword || '\"' FROM pg_authid WHERE rolname = 'postgres'" postgres > "$work/userlist.txt"
start_pgbouncer "$PGBOUNCER" "$BOUNCER" "$PGPORT" "$( [ "$AUTH" = scram ] && echo scram-sha-256 || echo trust)"
case " $TARGETS " in *" haproxy "*) start_haproxy "$HAPROXY" "$PGPORT" ;; *) HAPROXY_PID="" ;; esac
if [ "$AUTH" = scram ]; then
  meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT" "auth: { users_file: $work/userlist.txt, method: scram-sha-256 }"
else
  meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT"
fi
start_meridian "$MERIDIAN"
CAND_PORT=$(free_port) CAND_ADMIN=$(free_port) CANDIDATE_PID=""
if [ -n "$CANDIDATE" ]; then
  sed "s/port: $MERIDIAN }/port: $CAND_PORT }/; s/port: $ADMIN }/port: $CAND_ADMIN }/" "$work/meridian.yaml" > "$work/candidate.yaml"
  java ${MERIDIAN_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC} -jar "$CANDIDATE" run -c "$work/candidate.yaml" \
    > "$work/candidate.log" 2>&1 & CANDIDATE_PID=$!; pids+=("$CANDIDATE_PID")
  wait_port "$CAND_PORT" || { tail -20 "$work/candidate.log" >&2; exit 1; }
fi
[ -z "$HAPROXY_PID" ] || wait_port "$HAPROXY"
BOUNCER_PID=$(cat "$work/pgbouncer.pid")

declare -A PORT=([direct]=$PGPORT [pgbouncer]=$BOUNCER [haproxy]=$HAPROXY [meridian]=$MERIDIAN [candidate]=$CAND_PORT)
declare -A PID=([pgbouncer]=$BOUNCER_PID [haproxy]=$HAPROXY_PID [meridian]=$MERIDIAN_PID [candidate]=$CANDIDATE_PID)
args_for() {
  case "$1" in
    S1) echo "-S -c 1 -j 1" ;; S16) echo "-S -c 16 -j 2" ;; S64) echo "-S -c 64 -j 2" ;;
    P1) echo "-S -M prepared -c 1 -j 1" ;; P16) echo "-S -M prepared -c 16 -j 2" ;;
    TPCB16) echo "-c 16 -j 2" ;;
    C4) echo "-S -C -c 4 -j 2" ;; C16) echo "-S -C -c 16 -j 2" ;; C64) echo "-S -C -c 64 -j 2" ;;
    *) echo "unknown scenario $1" >&2; exit 2 ;;
  esac
}
for s in $SCENARIOS; do args_for "$s" >/dev/null; done
cpu_ticks() { if [ -n "${PID[$1]:-}" ]; then awk '{print $14 + $15}' "/proc/${PID[$1]}/stat"; else echo 0; fi; }
results=$work/results.tsv
# One pgbench run; with "record", a results line: scenario target tps tx proxy-ticks p50 p99 load.
run_one() {  # scenario target seconds record?
  local out ticks0 ticks1 tps tx prefix=$work/log/$1-$2-$RANDOM
  mkdir -p "$work/log"; [ "$(id -u)" = 0 ] && chown postgres: "$work/log"
  ticks0=$(cpu_ticks "$2")
  out=$(cd "$work/log" && "$bindir/pgbench" -n $(args_for "$1") -T "$3" -l --log-prefix="$prefix" \
    -h 127.0.0.1 -p "${PORT[$2]}" -U postgres bench 2>&1) || {
    echo "pgbench $1 on $2 failed:" >&2; echo "$out" | tail -5 >&2; rm -f "$prefix".*; return 0; }
  ticks1=$(cpu_ticks "$2")
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
  [ -n "$tps" ] || tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
  tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
  [ "$4" = record ] && printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$tps" "$tx" $((ticks1 - ticks0)) \
    "$(python3 "$ROOT/bench/latency.py" "$1" "$prefix")" "$(cut -d' ' -f1 /proc/loadavg)" >> "$results"
  rm -f "$prefix".*
  return 0
}

read -r -a targets <<< "$TARGETS"
n=${#targets[@]}
echo "# warm-up (JIT, caches)"
for t in "${targets[@]}"; do
  [ "$t" = direct ] && continue
  run_one S16 "$t" "$WARMUP" no
  case " $SCENARIOS " in *" C"*) run_one C4 "$t" "$WARMUP" no ;; esac
done
for r in $(seq "$ROUNDS"); do
  for s in $SCENARIOS; do
    # Rotate the order every round so no target always runs first or last.
    for i in $(seq 0 $((n - 1))); do
      t=${targets[$(( (i + r) % n ))]}
      run_one "$s" "$t" "$SECONDS_PER_RUN" record
    done
  done
  echo "# round $r of $ROUNDS done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
rss=""
for t in "${targets[@]}"; do
  [ -n "${PID[$t]:-}" ] && rss="$rss $t=$(proc_hwm_kb "${PID[$t]}")"
done
python3 "$ROOT/bench/report.py" --results "$results" \
  --clk-tck "$(getconf CLK_TCK)" --rss "$rss" --seconds "$SECONDS_PER_RUN" --rounds "$ROUNDS" \
  --targets "$TARGETS" --title "auth $AUTH; $BOUNCER_VERSION; $(nproc) cores"
