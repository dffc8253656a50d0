#!/usr/bin/env bash
# Where Meridian's CPU goes under one pgbench shape: PostgreSQL + Meridian with JFR recording
# (execution samples every 10 ms), a warm-up, then the measured run; prints pgbench's summary,
# Meridian's CPU per transaction and the hottest methods (bench/jfr_summary.py). With
# ASYNC_PROFILER=/path/libasyncProfiler.so (tools.profiler:async-profiler from Maven Central, the
# linux-x64 one inside its jar) it samples with async-profiler instead (CPU incl. kernel and
# native frames; JFR only sees threads running Java code) and prints the collapsed stacks' totals.
#
#   bench/profile.sh [--auth scram|trust] [--seconds 15] [--pgbench "-S -C -c 4 -j 2"] [--keep FILE.jfr]
#                    [--pool "{ mode: transaction, max_per_backend: 20 }"]   # Meridian's pool: section
#
# Environment: WARMUP (seconds of the same shape first, default 5), NO_PROFILE=1 (CPU figures
# only), KEEP_LOG=FILE (Meridian's stdout, e.g. with MERIDIAN_JAVA_OPTS=... -XX:+PrintCompilation).
# Besides CPU per transaction it prints the CPU per thread group during the run (event loops,
# JIT compiler threads, GC) and the backend logins PostgreSQL counted.
set -euo pipefail
cd "$(dirname "$0")/.."
AUTH=scram SECONDS_RUN=15 PGB="-S -C -c 4 -j 2" KEEP="" POOL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --auth) AUTH=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --pgbench) PGB=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    --pool) POOL=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. bench/lib.sh
bench_init jfr
PGPORT=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)
start_postgres "$PGPORT" 1 200
"$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
  "SELECT '\"postgres\" \"' || rolpassword || '\"' FROM pg_authid WHERE rolname = 'postgres'" postgres > "$work/userlist.txt"
auth="auth: { method: trust }"
[ "$AUTH" != scram ] || auth="auth: { users_file: $work/userlist.txt, method: scram-sha-256 }"
meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT" "$auth" ${POOL:+"pool: $POOL"}
# async-profiler cannot be attached later here (JVMTI.agent_load fails on this JDK): it samples
# from start-up, so its profile also holds start-up and the warm-up (same workload); the
# summary's inclusive list is what to read.
[ -z "${ASYNC_PROFILER:-}" ] || MERIDIAN_JAVA_OPTS="${MERIDIAN_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC} \
-agentpath:$ASYNC_PROFILER=start,event=cpu,interval=1ms,file=$work/collapsed.txt,collapsed"
start_meridian "$MERIDIAN"
pgb() { "$bindir/pgbench" -n $PGB -h 127.0.0.1 -p "$MERIDIAN" -U postgres -T "$1" bench 2>&1; }
pgb "${WARMUP:-5}" >/dev/null
logins() { "$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
  "SELECT sessions FROM pg_stat_database WHERE datname = 'bench'" postgres; }
l0=$(logins)
# NO_PROFILE=1: no recording at all, only the CPU figures: starting JFR deoptimises and
# recompiles much of the JVM's code (9,000 compilations in the 5 s after JFR.start here), so the
# CPU per transaction of a JFR run is not the proxy's.
JFR=1; [ -z "${ASYNC_PROFILER:-}${NO_PROFILE:-}" ] || JFR=""
[ -z "$JFR" ] || jcmd "$MERIDIAN_PID" JFR.start name=bench settings=profile >/dev/null
t0=$(proc_cpu_s "$MERIDIAN_PID")
threads_cpu() {  # "name ticks" per thread (utime+stime); names lose digits: loops and compilers group
  for f in /proc/"$MERIDIAN_PID"/task/*/stat; do
    sed -E 's/^[0-9]+ \((.*)\) (.*)$/\1\t\2/' "$f" 2>/dev/null | awk -F'\t' '{split($2, a, " "); n = $1; gsub(/[0-9]+/, "#", n); print n "\t" a[12] + a[13]}'
  done
}
threads_cpu > "$work/threads0"
out=$(pgb "$SECONDS_RUN")
threads_cpu > "$work/threads1"
t1=$(proc_cpu_s "$MERIDIAN_PID")
if [ -n "${ASYNC_PROFILER:-}" ]; then  # the agent writes its file when the JVM exits
  kill "$MERIDIAN_PID"; while kill -0 "$MERIDIAN_PID" 2>/dev/null; do sleep 0.2; done
elif [ -n "$JFR" ]; then
  jcmd "$MERIDIAN_PID" JFR.stop name=bench filename="$work/rec.jfr" >/dev/null
fi
[ -z "${KEEP_LOG:-}" ] || cp "$work/meridian.log" "$KEEP_LOG"  # e.g. with -XX:+PrintCompilation
echo "backend logins during the run: $(( $(logins) - l0 ))"
# Where the process's CPU went, by thread group (ms), e.g. event loops vs JIT compilers vs GC.
python3 - "$work/threads0" "$work/threads1" "$(getconf CLK_TCK)" <<'PY'
import sys
from collections import Counter
def load(path):
    c = Counter()
    for line in open(path):
        name, ticks = line.rstrip("\n").split("\t")
        c[name] += int(ticks)
    return c
a, b, tck = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
delta = Counter({k: b[k] - a.get(k, 0) for k in b})
print("CPU by thread during the run (ms): " + ", ".join(f"{k} {v * 1000 // tck}" for k, v in delta.most_common(8) if v > 0))
PY
echo "$out" | grep -E '^(number of transactions actually|latency average|average connection|tps)'
tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
python3 -c "print(f'Meridian CPU per transaction: {($t1 - $t0) / $tx * 1e6:.0f} us ($t1 - $t0 s over $tx); load average $(cut -d' ' -f1 /proc/loadavg)')"
if [ -n "${ASYNC_PROFILER:-}" ]; then
  [ -z "$KEEP" ] || cp "$work/collapsed.txt" "$KEEP"
  python3 bench/jfr_summary.py --collapsed --match "${MATCH:-dev.meridian}" < "$work/collapsed.txt"
elif [ -n "$JFR" ]; then
  [ -z "$KEEP" ] || cp "$work/rec.jfr" "$KEEP"
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$work/rec.jfr" | python3 bench/jfr_summary.py --match "${MATCH:-dev.meridian}"
fi
