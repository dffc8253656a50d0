#!/usr/bin/env bash
# Where Meridian's CPU goes under one pgbench shape: PostgreSQL + Meridian with JFR recording
# (execution samples every 10 ms), a warm-up, then the measured run; prints pgbench's summary,
# Meridian's CPU per transaction and the hottest methods (bench/jfr_summary.py). With
# ASYNC_PROFILER=/path/libasyncProfiler.so (tools.profiler:async-profiler from Maven Central, the
# linux-x64 one inside its jar) it samples with async-profiler instead (CPU incl. kernel and
# native frames; JFR only sees threads running Java code) and prints the collapsed stacks' totals.
#
#   bench/profile.sh [--auth scram|trust] [--seconds 15] [--pgbench "-S -C -c 4 -j 2"] [--keep FILE.jfr]
set -euo pipefail
cd "$(dirname "$0")/.."
AUTH=scram SECONDS_RUN=15 PGB="-S -C -c 4 -j 2" KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --auth) AUTH=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --pgbench) PGB=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
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
if [ "$AUTH" = scram ]; then
  meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT" "auth: { users_file: $work/userlist.txt, method: scram-sha-256 }"
else
  meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT"
fi
# async-profiler cannot be attached later here (JVMTI.agent_load fails on this JDK): it samples
# from start-up, so its profile also holds start-up and the warm-up (same workload); the
# summary's inclusive list is what to read.
[ -z "${ASYNC_PROFILER:-}" ] || MERIDIAN_JAVA_OPTS="${MERIDIAN_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC} \
-agentpath:$ASYNC_PROFILER=start,event=cpu,interval=1ms,file=$work/collapsed.txt,collapsed"
start_meridian "$MERIDIAN"
pgb() { "$bindir/pgbench" -n $PGB -h 127.0.0.1 -p "$MERIDIAN" -U postgres -T "$1" bench 2>&1; }
pgb 5 >/dev/null
logins() { "$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
  "SELECT sessions FROM pg_stat_database WHERE datname = 'bench'" postgres; }
l0=$(logins)
[ -n "${ASYNC_PROFILER:-}" ] || jcmd "$MERIDIAN_PID" JFR.start name=bench settings=profile >/dev/null
t0=$(proc_cpu_s "$MERIDIAN_PID")
out=$(pgb "$SECONDS_RUN")
t1=$(proc_cpu_s "$MERIDIAN_PID")
if [ -n "${ASYNC_PROFILER:-}" ]; then  # the agent writes its file when the JVM exits
  kill "$MERIDIAN_PID"; while kill -0 "$MERIDIAN_PID" 2>/dev/null; do sleep 0.2; done
else
  jcmd "$MERIDIAN_PID" JFR.stop name=bench filename="$work/rec.jfr" >/dev/null
fi
echo "backend logins during the run: $(( $(logins) - l0 ))"
echo "$out" | grep -E '^(number of transactions actually|latency average|average connection|tps)'
tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
python3 -c "print(f'Meridian CPU per transaction: {($t1 - $t0) / $tx * 1e6:.0f} us ($t1 - $t0 s over $tx); load average $(cut -d' ' -f1 /proc/loadavg)')"
if [ -n "${ASYNC_PROFILER:-}" ]; then
  [ -z "$KEEP" ] || cp "$work/collapsed.txt" "$KEEP"
  python3 bench/jfr_summary.py --collapsed --match "${MATCH:-dev.meridian}" < "$work/collapsed.txt"
else
  [ -z "$KEEP" ] || cp "$work/rec.jfr" "$KEEP"
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$work/rec.jfr" | python3 bench/jfr_summary.py --match "${MATCH:-dev.meridian}"
fi
