#!/usr/bin/env bash
# Many concurrent clients through Meridian into one local PostgreSQL: all connect at once,
# authenticate, wait in the pool's queue for one of the few backend connections, run SELECT 1
# and close. Prints connected/failed counts, time-to-ready percentiles, and Meridian's peak RSS
# and open file descriptors (sampled every 200 ms).
#
#   bench/load.sh [--clients 5000] [--pool 80] [--auth trust|scram] [--timeout 600]
#
# --pool is pool.max_per_backend; --timeout (seconds) is limits.startup_timeout, which is also
# how long a session may wait for a pooled connection, and the client's socket timeout.
# trust (default): no client authentication; scram: each client proves a password with
# SCRAM-SHA-256 against a verifier in a users file (pgjdbc's PBKDF2 then makes the client JVM
# the bottleneck on a small machine). Health checks get 5 s, so that a starved probe does not
# take the only backend away mid-storm. Needs a JDK and pgjdbc in ~/.m2 (./mvnw verify fetches it).
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=5000 POOL=80 AUTH=trust TIMEOUT=600
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift 2 ;;
    --pool) POOL=$2; shift 2 ;;
    --auth) AUTH=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$AUTH" in scram|trust) ;; *) echo "--auth must be scram or trust" >&2; exit 2 ;; esac

# Meridian holds one descriptor per client, the client JVM (a child of this shell) another.
need_fds=$((CLIENTS + 1000))
if [ "$(ulimit -n)" -lt "$need_fds" ]; then
  ulimit -Hn "$need_fds" 2>/dev/null || true
  ulimit -n "$need_fds" 2>/dev/null || true
fi
[ "$(ulimit -n)" -ge "$need_fds" ] || {
  echo "open files limit $(ulimit -n) < $need_fds needed: raise ulimit -n or use fewer --clients" >&2; exit 1; }

pgjdbc_version=$(sed -n 's:.*<pgjdbc.version>\(.*\)</pgjdbc.version>.*:\1:p' pom.xml)
PGJDBC=$HOME/.m2/repository/org/postgresql/postgresql/$pgjdbc_version/postgresql-$pgjdbc_version.jar
[ -f "$PGJDBC" ] || { echo "missing $PGJDBC: run ./mvnw -B verify once" >&2; exit 1; }

. bench/lib.sh
bench_init
PGPORT=$(free_port) MERIDIAN=$(free_port) ADMIN=$(free_port)
echo "# PostgreSQL on $PGPORT; Meridian on $MERIDIAN with pool.max_per_backend $POOL; $CLIENTS clients, auth $AUTH"
start_postgres "$PGPORT" 1 $((POOL + 20))

if [ "$AUTH" = scram ]; then
  CLIENT_PASSWORD=load-secret
  echo "$CLIENT_PASSWORD" | java -jar "$JAR" scram-secret load > "$work/users.txt"
  auth="auth: { users_file: $work/users.txt, method: scram-sha-256 }"
else
  CLIENT_PASSWORD=unused
  auth="auth: { method: trust }"
fi
meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT" "$auth" \
  "pool: { max_per_backend: $POOL }" \
  "health: { interval: 5s, timeout: 5s }" \
  "limits: { max_client_connections: $((CLIENTS + 100)), startup_timeout: ${TIMEOUT}s }"
start_meridian "$MERIDIAN"
echo "# Meridian: $(ulimit -n) open files allowed, RSS $(( $(proc_rss_kb "$MERIDIAN_PID") / 1024 )) MiB, $(proc_fds "$MERIDIAN_PID") fds at rest"

# Peak fds by sampling (the kernel keeps no high-water mark for them); VmHWM is the peak RSS.
( peak=0
  while kill -0 "$MERIDIAN_PID" 2>/dev/null; do
    n=$(proc_fds "$MERIDIAN_PID"); [ "$n" -gt "$peak" ] && { peak=$n; echo "$peak" > "$work/peak-fds"; }
    sleep 0.2
  done ) & pids+=($!)

java -Xss256k -cp "$PGJDBC" bench/LoadClient.java \
  "jdbc:postgresql://127.0.0.1:$MERIDIAN/bench" load "$CLIENT_PASSWORD" "$CLIENTS" "$TIMEOUT" | sed 's/^/  /'
sleep 0.5
backend_sessions=$("$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
  "SELECT sessions FROM pg_stat_database WHERE datname = 'bench'" postgres)
echo "backend logins      $backend_sessions (sessions PostgreSQL opened in database bench, incl. pgbench -i)"
echo "Meridian peak RSS   $(( $(proc_hwm_kb "$MERIDIAN_PID") / 1024 )) MiB (RSS now $(( $(proc_rss_kb "$MERIDIAN_PID") / 1024 )) MiB)"
echo "Meridian peak fds   $(cat "$work/peak-fds" 2>/dev/null || echo "?") (now $(proc_fds "$MERIDIAN_PID"))"
errors=$(grep -c -E ' (ERROR|WARN) ' "$work/meridian.log" || true)
echo "Meridian log        $errors WARN/ERROR lines"
[ "$errors" = 0 ] || grep -E ' (ERROR|WARN) ' "$work/meridian.log" | cut -d' ' -f2- | sort | uniq -c | sort -rn | head -5
