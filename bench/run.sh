#!/usr/bin/env bash
# Meridian vs direct PostgreSQL vs PgBouncer (session mode) vs HAProxy (TCP), measured side
# by side on this machine, in interleaved rounds, reported as medians and ratios.
#
#   bench/run.sh [--seconds N] [--rounds R] [--scale S] [--scenarios "S1 S16 ..."]
#
# Needs the Debian packages postgresql (server + pgbench), pgbouncer, haproxy, and a JDK.
# Scenarios: S1/S16/S64 = pgbench -S at 1/16/64 clients, P16 = -S -M prepared at 16,
# TPCB16 = the default TPC-B-like script at 16, C16 = -S -C (a new connection per transaction).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=10 ROUNDS=3 SCALE=10 SCENARIOS="S1 S16 S64 P16 TPCB16 C16"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. bench/lib.sh
bench_init pgbouncer haproxy
PGPORT=$(free_port) BOUNCER=$(free_port) HAPROXY=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)

echo "# starting PostgreSQL on $PGPORT (scale $SCALE)"
start_postgres "$PGPORT" "$SCALE" 400

cat > "$work/pgbouncer.ini" <<CONF
[databases]
bench = host=127.0.0.1 port=$PGPORT dbname=bench user=postgres password=$PASS
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER
unix_socket_dir =
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = session
max_client_conn = 2000
default_pool_size = 200
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
CONF
echo '"postgres" "'"$PASS"'"' > "$work/userlist.txt"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pgbouncer.ini" "$work/userlist.txt"
as_pg pgbouncer "$work/pgbouncer.ini" >/dev/null 2>&1 & pids+=($!)

cat > "$work/haproxy.cfg" <<CONF
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
listen pg
  bind 127.0.0.1:$HAPROXY
  server pg 127.0.0.1:$PGPORT
CONF
haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & pids+=($!)

meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT"
start_meridian "$MERIDIAN"
wait_port "$BOUNCER"; wait_port "$HAPROXY"

declare -A PORT=([direct]=$PGPORT [pgbouncer]=$BOUNCER [haproxy]=$HAPROXY [meridian]=$MERIDIAN)
args_for() {
  case "$1" in
    S1) echo "-S -c 1 -j 1" ;; S16) echo "-S -c 16 -j 2" ;; S64) echo "-S -c 64 -j 2" ;;
    P16) echo "-S -M prepared -c 16 -j 2" ;; TPCB16) echo "-c 16 -j 2" ;; C16) echo "-S -C -c 16 -j 2" ;;
    *) echo "unknown scenario $1" >&2; exit 2 ;;
  esac
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$MERIDIAN_PID/stat"; }
results=$work/results.tsv
run_one() {  # scenario target seconds record?
  local out ticks0 ticks1 tps tx
  ticks0=$(cpu_ticks)
  out=$("$bindir/pgbench" -n $(args_for "$1") -T "$3" -h 127.0.0.1 -p "${PORT[$2]}" -U postgres bench 2>&1) || {
    echo "pgbench $1 on $2 failed:" >&2; echo "$out" | tail -5 >&2; return 0; }
  ticks1=$(cpu_ticks)
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
  [ -n "$tps" ] || tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
  tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
  [ "$4" = record ] && printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$tps" "$tx" $((ticks1 - ticks0)) >> "$results"
  return 0
}

echo "# warm-up (JIT, caches)"
for t in direct pgbouncer haproxy meridian; do run_one S16 $t 3 no; done
targets=(direct pgbouncer haproxy meridian)
for r in $(seq "$ROUNDS"); do
  for s in $SCENARIOS; do
    # Rotate the order every round so no target always runs first or last.
    for i in 0 1 2 3; do
      t=${targets[$(( (i + r) % 4 ))]}
      run_one "$s" "$t" "$SECONDS_PER_RUN" record
    done
  done
  echo "# round $r of $ROUNDS done"
done
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$MERIDIAN_PID/status")
python3 "$ROOT/bench/report.py" "$results" "$(getconf CLK_TCK)" "$RSS_KB" "$SECONDS_PER_RUN" "$ROUNDS"
