#!/usr/bin/env bash
# Does a class-data-sharing archive (AppCDS, JDK 13+: -XX:ArchiveClassesAtExit, no Docker needed)
# help Meridian start, or warm up in a SCRAM connection storm? Makes a dynamic archive from one
# run (a storm and a select-only run, then a clean stop), then starts Meridian ROUNDS times each
# way, alternating: time until it listens, then a cold `pgbench -S -C -c 4` storm of SECONDS
# seconds (no warm-up: start-up and warm-up are what an archive can change), CPU per session.
#
#   bench/cds.sh [--rounds 3] [--seconds 10] [--keep FILE.jsa]
#
# MERIDIAN_JAR / MERIDIAN_JAVA_OPTS as for bench/run.sh (the archive is only valid for that jar path).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3 SECONDS_RUN=10 KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. bench/lib.sh
bench_init
OPTS=${MERIDIAN_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
PGPORT=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)
start_postgres "$PGPORT" 1 200
"$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
  "SELECT '\"postgres\" \"' || rolpassword || '\"' FROM pg_authid WHERE rolname = 'postgres'" postgres > "$work/userlist.txt"
meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT" "auth: { users_file: $work/userlist.txt, method: scram-sha-256 }"
pgb() { "$bindir/pgbench" -n "$@" -h 127.0.0.1 -p "$MERIDIAN" -U postgres bench 2>&1; }

# stop PID: SIGTERM and wait (the JVM writes a dynamic archive on its way out).
stop() { kill "$1"; while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; }

start_meridian_as meridian "$JAR" "$MERIDIAN" "$OPTS -XX:ArchiveClassesAtExit=$work/meridian.jsa"
pgb -S -C -c 4 -j 2 -T 10 >/dev/null; pgb -S -c 4 -j 2 -T 5 >/dev/null
stop "$STARTED_PID"
[ -s "$work/meridian.jsa" ] || { echo "no archive written; log:" >&2; tail -5 "$work/meridian.log" >&2; exit 1; }
echo "archive: $(( $(stat -c %s "$work/meridian.jsa") / 1024 / 1024 )) MiB"
[ -z "$KEEP" ] || cp "$work/meridian.jsa" "$KEEP"

# one LABEL OPTS: start, time to listen, a cold storm; prints one line.
one() {
  local t0 t1 c0 c1 out tx
  t0=$(date +%s%N)
  start_meridian_as meridian "$JAR" "$MERIDIAN" "$2"
  t1=$(date +%s%N)
  c0=$(proc_cpu_s "$STARTED_PID")
  out=$(pgb -S -C -c 4 -j 2 -T "$SECONDS_RUN")
  c1=$(proc_cpu_s "$STARTED_PID")
  tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
  python3 -c "print(f'$1: listening after {($t1 - $t0) / 1e6:.0f} ms (start-up CPU $c0 s); cold storm {$tx} sessions, {($c1 - $c0) / $tx * 1e6:.0f} us CPU per session; load $(cut -d' ' -f1 /proc/loadavg)')"
  stop "$STARTED_PID"
}
for r in $(seq "$ROUNDS"); do
  one "no archive  " "$OPTS"
  one "with archive" "$OPTS -XX:SharedArchiveFile=$work/meridian.jsa"
done
