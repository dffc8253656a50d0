#!/usr/bin/env bash
# Soak: pgbench select-only through Meridian for a long time, plus a trickle of new connections
# (pgbench -C, rate-limited), sampling Meridian's RSS, open fds, threads and CPU every interval,
# and its live heap (heap used right after a full GC that jcmd asks for) and Netty direct memory.
# Prints the table, then whether RSS and fds stayed flat after warm-up: from the sample at
# 2 intervals (the end of warm-up) to the last, RSS may grow at most --rss-pct percent and fds
# at most --fds. Exits 1 if not flat, or if pgbench had failed transactions. The heap is pre-sized
# and pre-touched (-XX:+AlwaysPreTouch), so RSS does not grow merely because the young and old
# generations get used for the first time; growth of the heap's contents shows as live heap.
#
#   bench/soak.sh [seconds] [--clients 16] [--trickle 5] [--interval 60] [--rss-pct 10] [--fds 5]
#
# seconds defaults to 600; --trickle is new connections per second (each runs one SELECT).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=600 CLIENTS=16 TRICKLE=5 INTERVAL=60 RSS_PCT=10 FDS_SLACK=5
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift 2 ;;
    --trickle) TRICKLE=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --rss-pct) RSS_PCT=$2; shift 2 ;;
    --fds) FDS_SLACK=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) DURATION=$1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
MERIDIAN_JAVA_OPTS=${MERIDIAN_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}
[ "$DURATION" -ge $((3 * INTERVAL)) ] || { echo "run at least 3 intervals ($((3 * INTERVAL)) s)" >&2; exit 2; }

. bench/lib.sh
bench_init jcmd curl
PGPORT=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)
echo "# PostgreSQL on $PGPORT, Meridian on $MERIDIAN; ${DURATION}s: pgbench -S -c $CLIENTS, plus $TRICKLE new connections/s"
start_postgres "$PGPORT" 10 $((CLIENTS + TRICKLE * 4 + 40))
meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT"
start_meridian "$MERIDIAN"

# A little longer than the sampling, so that the last sample is taken under load too.
bench() { "$bindir/pgbench" -h 127.0.0.1 -p "$MERIDIAN" -U postgres -n -S -T $((DURATION + 10)) "$@" bench; }
bench -c "$CLIENTS" -j 2 > "$work/steady.out" 2>&1 & steady=$!; pids+=($steady)
bench -C -c 1 -j 1 -R "$TRICKLE" > "$work/trickle.out" 2>&1 & trickle=$!; pids+=($trickle)

samples=$work/samples.tsv
# Sum of a metric's series on the admin endpoint whose labels contain $2, in MiB.
metric_mib() { curl -fsS "http://127.0.0.1:$ADMIN/metrics" | awk -v name="$1" -v label="$2" \
  'index($0, name "{") == 1 && index($0, label) {sum += $NF} END {printf "%.1f", sum / 1048576}'; }
sample() {
  local rss fds
  rss=$(proc_rss_kb "$MERIDIAN_PID") fds=$(proc_fds "$MERIDIAN_PID")  # before the GC, as the load left them
  jcmd "$MERIDIAN_PID" GC.run >/dev/null
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$rss" "$fds" "$(proc_threads "$MERIDIAN_PID")" \
    "$(proc_cpu_s "$MERIDIAN_PID")" "$(metric_mib jvm_memory_used_bytes 'area="heap"')" \
    "$(metric_mib netty_allocator_memory_used 'memory_type="direct"')" >> "$samples"
}
start=$(date +%s)
sample 0
for ((t = INTERVAL; t <= DURATION; t += INTERVAL)); do
  wait_s=$((start + t - $(date +%s))); [ "$wait_s" -le 0 ] || sleep "$wait_s"
  sample "$t"
  tail -1 "$samples" | awk -F'\t' '{printf "# %s s: RSS %.0f MiB, %d fds, live heap %s MiB\n", $1, $2 / 1024, $3, $6}'
done
wait "$steady" || echo "# steady pgbench exited $?"
wait "$trickle" || echo "# trickle pgbench exited $?"

echo
printf '%8s %9s %6s %8s %9s %15s %11s\n' "elapsed" "RSS MiB" "fds" "threads" "CPU s" "live heap MiB" "direct MiB"
awk -F'\t' '{printf "%7ss %9.1f %6d %8d %9.1f %15.1f %11.1f\n", $1, $2 / 1024, $3, $4, $5, $6, $7}' "$samples"
echo
for run in steady trickle; do
  tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/$run.out")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/$run.out")
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/$run.out" | head -1)
  echo "pgbench $run: ${tx:-?} transactions, ${failed:-?} failed, ${tps:-?} tps"
  [ "${failed:-1}" = 0 ] && ! grep -q aborted "$work/$run.out" || { tail -5 "$work/$run.out"; bad=1; }
done
errors=$(grep -c -E ' (ERROR|WARN) ' "$work/meridian.log" || true)
echo "Meridian log: $errors WARN/ERROR lines"

# Warm-up ends at the sample taken 2 intervals in; compare it with the last.
read -r rss0 fds0 < <(awk -F'\t' -v t=$((2 * INTERVAL)) '$1 == t {print $2, $3}' "$samples")
read -r rss1 fds1 < <(tail -1 "$samples" | awk -F'\t' '{print $2, $3}')
verdict=$(awk -v a="$rss0" -v b="$rss1" -v f0="$fds0" -v f1="$fds1" -v pct="$RSS_PCT" -v slack="$FDS_SLACK" 'BEGIN {
  growth = (b - a) * 100 / a
  ok = growth <= pct && f1 - f0 <= slack
  printf "%s: RSS %.1f -> %.1f MiB (%+.1f%%, limit +%d%%), fds %d -> %d (%+d, limit +%d)",
    ok ? "FLAT" : "GREW", a / 1024, b / 1024, growth, pct, f0, f1, f1 - f0, slack }')
echo "after warm-up (${INTERVAL}s x 2 -> end) $verdict"
case "$verdict" in FLAT*) ;; *) bad=1 ;; esac
exit "${bad:-0}"
