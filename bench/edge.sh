#!/usr/bin/env bash
# Requests/s of Meridian's POST /sql (edge listener) against pgbench -S over TCP through the same
# Meridian: the same single-row SELECT abalance FROM pgbench_accounts WHERE aid = $1 (random aid),
# the same number of concurrent clients, in interleaved rounds; prints each round and the median
# ratio per request (HTTP over TCP).
#   tcp   pgbench -S -c N -j 2 -T S  -> Meridian (session pool) -> PostgreSQL
#   http  bench/EdgeLoad.java, N keep-alive HTTP/1.1 clients -> Meridian /sql (a pooled connection
#         per request, reset_query after it) -> PostgreSQL
#
#   bench/edge.sh [--clients 64] [--seconds 10] [--rounds 3] [--scale 1]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
CLIENTS=64 SECONDS_=10 ROUNDS=3 SCALE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench_init
PGPORT=$(free_port) PORT=$(free_port) ADMIN=$(free_port) EDGE=$(free_port)
start_postgres "$PGPORT" "$SCALE" $((CLIENTS + 40))
meridian_yaml "$PORT" "$ADMIN" "$PGPORT" \
  "edge: { listen: { host: 127.0.0.1, port: $EDGE }, limits: { max_concurrent_requests: $((CLIENTS * 2)) } }" \
  "pool: { max_per_backend: $((CLIENTS + 16)), min_idle: 4 }"
start_meridian "$PORT"
wait_port "$EDGE"
# Compiled once (java File.java would compile it again every round).
javac -d "$work/classes" bench/EdgeLoad.java
echo "# $CLIENTS clients, $SECONDS_ s per run, $ROUNDS rounds, scale $SCALE; warm-up 3 s each"
"$bindir/pgbench" -n -S -c "$CLIENTS" -j 2 -T 3 -h 127.0.0.1 -p "$PORT" -U postgres bench >/dev/null
java -cp "$work/classes" EdgeLoad 127.0.0.1 "$EDGE" bench postgres "$PASS" "$CLIENTS" 3 "$SCALE" >/dev/null
ratios=()
for round in $(seq "$ROUNDS"); do
  cpu0=$(proc_cpu_s "$MERIDIAN_PID")
  tcp=$("$bindir/pgbench" -n -S -c "$CLIENTS" -j 2 -T "$SECONDS_" -h 127.0.0.1 -p "$PORT" -U postgres bench \
    | awk '/^tps/ {printf "%.0f", $3}')
  cpu1=$(proc_cpu_s "$MERIDIAN_PID")
  http_line=$(java -cp "$work/classes" EdgeLoad 127.0.0.1 "$EDGE" bench postgres "$PASS" "$CLIENTS" "$SECONDS_" "$SCALE")
  cpu2=$(proc_cpu_s "$MERIDIAN_PID")
  http=$(awk '{print $2}' <<<"$http_line")
  ratio=$(python3 -c "print(f'{$http / $tcp:.2f}')")
  ratios+=("$ratio")
  # Meridian's own CPU per request (utime+stime over the run / requests).
  cpu=$(python3 -c "print(f'{($cpu1-$cpu0)*1e6/($tcp*$SECONDS_):.0f} / {($cpu2-$cpu1)*1e6/($http*$SECONDS_):.0f}')")
  echo "round $round: tcp (pgbench -S) $tcp tps | http /sql $http_line | http/tcp $ratio" \
    "| Meridian CPU/request tcp/http µs $cpu | load $(cut -d' ' -f1-3 /proc/loadavg)"
done
python3 -c "import statistics,sys; print(f'median http/tcp ratio {statistics.median(map(float, sys.argv[1:])):.2f}')" "${ratios[@]}"
# Backend connections the pool handed out from idle vs fresh logins (a fresh login costs SCRAM).
python3 - "$ADMIN" <<'PY' || true
import re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
counts = {}
for m in re.finditer(r'meridian_backend_connect_seconds_count\{[^}]*pooled="(true|false)"[^}]*\} (\S+)', text):
    counts[m.group(1)] = counts.get(m.group(1), 0) + float(m.group(2))
print(f"# Meridian: backend connections from the pool {counts.get('true', 0):.0f}, fresh logins {counts.get('false', 0):.0f}")
PY
