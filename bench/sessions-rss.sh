#!/usr/bin/env bash
# Memory per active session: Meridian in front of one PostgreSQL, first idle (after a warm-up),
# then holding N sessions (default 300) that each run a select-only transaction about once a
# second (pgbench -S -c N -R N). Reports, per session: the growth of RSS (the heap is pre-touched,
# so RSS growth is native memory: Netty's direct buffers, socket-side structures, metaspace), the
# growth of the live heap (after a full GC that jcmd asks for) and Netty's direct memory; the sum
# of RSS and live-heap growth is the figure to hold against issue #9's 64 KiB per session.
#
#   bench/sessions-rss.sh [--sessions 300] [--seconds 20]
set -uo pipefail
cd "$(dirname "$0")/.." && . bench/lib.sh
SESSIONS=300 SECONDS_HELD=20
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) SESSIONS=$2; shift 2 ;;
    --seconds) SECONDS_HELD=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench_init jcmd curl
PGPORT=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)
start_postgres "$PGPORT" 1 $((SESSIONS + 50))
meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT" "pool: { max_per_backend: $((SESSIONS + 10)), idle_timeout: 2s }"
MERIDIAN_JAVA_OPTS="${MERIDIAN_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC -XX:+AlwaysPreTouch}" \
  start_meridian "$MERIDIAN"

pgb() { "$bindir/pgbench" -h 127.0.0.1 -p "$MERIDIAN" -U postgres -n -S "$@" bench; }
metric_bytes() { curl -fsS "http://127.0.0.1:$ADMIN/metrics" | awk -v name="$1" -v label="$2" \
  'index($0, name "{") == 1 && index($0, label) {sum += $NF} END {printf "%.0f", sum}'; }
# snapshot -> "rss_kb live_heap_bytes direct_bytes"
snapshot() {
  local rss; rss=$(proc_rss_kb "$MERIDIAN_PID")
  jcmd "$MERIDIAN_PID" GC.run >/dev/null
  echo "$rss $(metric_bytes jvm_memory_used_bytes 'area="heap"') $(metric_bytes netty_allocator_memory_used 'memory_type="direct"')"
}

# Warm-up: the same number of sessions once, so classes, JIT code and pool structures exist
# before the idle baseline; idle_timeout 2s then empties the pool, so the baseline holds no
# backend connection and each session's figure includes its backend side.
pgb -c "$SESSIONS" -j 2 -R "$SESSIONS" -T 10 > "$work/warm.out" 2>&1
sleep 6
read -r rss0 heap0 direct0 < <(snapshot)
pgb -c "$SESSIONS" -j 2 -R "$SESSIONS" -T $((SECONDS_HELD + 10)) > "$work/held.out" 2>&1 & held=$!; pids+=($held)
sleep "$SECONDS_HELD"
active=$(curl -fsS "http://127.0.0.1:$ADMIN/metrics" | awk 'index($0, "meridian_client_connections{") == 1 && index($0, "state=\"active\"") {print $NF}')
read -r rss1 heap1 direct1 < <(snapshot)
wait "$held"
failed=$(grep -Eo 'failed transactions: [0-9]+' "$work/held.out" | grep -Eo '[0-9]+' || echo "?")
awk -v n="$SESSIONS" -v a="${active%.*}" -v r0="$rss0" -v r1="$rss1" -v h0="$heap0" -v h1="$heap1" \
    -v d0="$direct0" -v d1="$direct1" -v f="$failed" 'BEGIN {
  printf "sessions held: %d (meridian_client_connections{state=active} = %s), failed transactions: %s\n", n, a, f
  printf "RSS:       %8.1f -> %8.1f MiB  (+%.1f KiB per session)\n", r0/1024, r1/1024, (r1-r0)/n
  printf "live heap: %8.1f -> %8.1f MiB  (+%.1f KiB per session)\n", h0/1048576, h1/1048576, (h1-h0)/1024/n
  printf "direct:    %8.1f -> %8.1f MiB  (+%.1f KiB per session, part of RSS)\n", d0/1048576, d1/1048576, (d1-d0)/1024/n
  printf "per session, RSS + live heap growth: %.1f KiB (issue #9 target: <= 64 KiB)\n", ((r1-r0) + (h1-h0)/1024)/n
}'
