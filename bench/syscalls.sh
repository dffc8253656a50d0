#!/usr/bin/env bash
# System calls per transaction, Meridian vs PgBouncer, one pgbench shape (session mode, trust):
# each proxy runs a warm-up, then `strace -c -f` is attached to it (all threads) for one pgbench
# run, and the syscall counts are divided by the transactions pgbench reports. strace slows the
# proxy down a lot: compare counts, not the TPS printed beside them.
#
#   bench/syscalls.sh [--pgbench "-S -c 1 -j 1"] [--seconds 5] [--warmup 10]
#
# MERIDIAN_JAR / MERIDIAN_JAVA_OPTS as for bench/run.sh; PGBOUNCER=path (default bench/pgbouncer.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PGB="-S -c 1 -j 1" SECONDS_RUN=5 WARMUP=10
while [ $# -gt 0 ]; do
  case "$1" in
    --pgbench) PGB=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. bench/lib.sh
bench_init strace
BOUNCER=${PGBOUNCER:-$(bench/pgbouncer.sh)}
PGPORT=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port) BPORT=$(free_port)
start_postgres "$PGPORT" 1 100
echo '"postgres" ""' > "$work/userlist.txt"
meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT"
start_meridian "$MERIDIAN"
start_pgbouncer "$BOUNCER" "$BPORT" "$PGPORT" trust

# measure NAME PORT PID: warm-up, then one traced run; prints syscalls per transaction.
measure() {
  local name=$1 port=$2 pid=$3
  # shellcheck disable=SC2086
  "$bindir/pgbench" -n $PGB -T "$WARMUP" -h 127.0.0.1 -p "$port" -U postgres bench >/dev/null 2>&1
  strace -c -f -p "$pid" -o "$work/$name.strace" 2>/dev/null & local tracer=$!
  sleep 1
  # shellcheck disable=SC2086
  local tx
  tx=$("$bindir/pgbench" -n $PGB -T "$SECONDS_RUN" -h 127.0.0.1 -p "$port" -U postgres bench 2>/dev/null \
    | awk '/number of transactions actually processed/ {print $NF}' | cut -d/ -f1)
  kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  echo "== $name: $tx transactions under strace ($PGB)"
  awk -v tx="$tx" 'NR > 2 && $1 !~ /^-/ && NF >= 5 && $NF != "total" {
      calls = $4; name = $NF; if (NF == 6) errs = $5; else errs = 0
      printf "  %-16s %8.2f per tx%s\n", name, calls / tx, ((errs > 0) ? sprintf("  (%d errors)", errs) : "") }
    $NF == "total" { printf "  %-16s %8.2f per tx\n", "TOTAL", $4 / tx }' "$work/$name.strace" | sort -k2 -nr | head -12
}
measure meridian "$MERIDIAN" "$MERIDIAN_PID"
measure pgbouncer "$BPORT" "$(cat "$work/pgbouncer.pid")"
