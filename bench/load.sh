#!/usr/bin/env bash
# Many concurrent clients through Meridian into one local PostgreSQL: all connect at once,
# authenticate, wait in the pool's queue for one of the few backend connections, run SELECT 1
# and close. Prints connected/failed counts, time-to-ready percentiles, and Meridian's peak RSS
# and open file descriptors (sampled every 200 ms).
#
#   bench/load.sh [--clients 5000] [--pool 80] [--auth trust|scram] [--timeout 600]
#                 [--target meridian|pgbouncer] [--pgbouncer PATH]
#
# --pool is pool.max_per_backend; --timeout (seconds) is limits.startup_timeout, which is also
# how long a session may wait for a pooled connection, and the client's socket timeout.
# trust (default): no client authentication; scram: each client proves a password with
# SCRAM-SHA-256 against a verifier in a users file (pgjdbc's PBKDF2 then makes the client JVM
# the bottleneck on a small machine). Health checks get 5 s, so that a starved probe does not
# take the only backend away mid-storm. Needs a JDK and pgjdbc in ~/.m2 (./mvnw verify fetches it).
# --target pgbouncer runs the same storm through PgBouncer (session mode, default_pool_size
# --pool, the same users file; default binary: bench/pgbouncer.sh's 1.24.1 build).
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=5000 POOL=80 AUTH=trust TIMEOUT=600 TARGET=meridian PGBOUNCER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift 2 ;;
    --pool) POOL=$2; shift 2 ;;
    --auth) AUTH=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --target) TARGET=$2; shift 2 ;;
    --pgbouncer) PGBOUNCER=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$AUTH" in scram|trust) ;; *) echo "--auth must be scram or trust" >&2; exit 2 ;; esac
case "$TARGET" in meridian|pgbouncer) ;; *) echo "--target must be meridian or pgbouncer" >&2; exit 2 ;; esac
[ "$TARGET" = meridian ] || [ -n "$PGBOUNCER" ] || PGBOUNCER=$(bench/pgbouncer.sh)

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
echo "# PostgreSQL on $PGPORT; $TARGET on $MERIDIAN with a pool of $POOL; $CLIENTS clients, auth $AUTH"
start_postgres "$PGPORT" 1 $((POOL + 20))

CLIENT_PASSWORD=load-secret
echo "$CLIENT_PASSWORD" | java -jar "$JAR" scram-secret load > "$work/users.txt"
if [ "$AUTH" = scram ]; then
  auth="auth: { users_file: $work/users.txt, method: scram-sha-256 }"
else
  auth="auth: { method: trust }"
fi
if [ "$TARGET" = pgbouncer ]; then
  # PgBouncer logs into the server as the client's user: with its SCRAM keys (so the server's own
  # verifier, same salt), or under trust with the password from the auth_file.
  "$bindir/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE ROLE load LOGIN PASSWORD '$CLIENT_PASSWORD'" postgres
  if [ "$AUTH" = scram ]; then
    "$bindir/psql" -X -At -h 127.0.0.1 -p "$PGPORT" -U postgres -c \
      "SELECT '\"load\" \"' || rolpassword || '\"' FROM pg_authid WHERE rolname = 'load'" postgres > "$work/userlist.txt"
  else
    echo "\"load\" \"$CLIENT_PASSWORD\"" > "$work/userlist.txt"
  fi
  BOUNCER_DB_AUTH="" BOUNCER_LOGIN_TIMEOUT=$TIMEOUT start_pgbouncer "$PGBOUNCER" "$MERIDIAN" "$PGPORT" "$( [ "$AUTH" = scram ] && echo scram-sha-256 || echo trust)" \
    "$POOL" $((CLIENTS + 100))
  MERIDIAN_PID=$(cat "$work/pgbouncer.pid")
  echo "# $("$PGBOUNCER" --version | head -1)"
else
  meridian_yaml "$MERIDIAN" "$ADMIN" "$PGPORT" "$auth" \
    "pool: { max_per_backend: $POOL }" \
    "health: { interval: 5s, timeout: 5s }" \
    "limits: { max_client_connections: $((CLIENTS + 100)), startup_timeout: ${TIMEOUT}s }"
  start_meridian "$MERIDIAN"
fi
echo "# $TARGET: $(awk '/Max open files/ {print $4}' "/proc/$MERIDIAN_PID/limits") open files allowed, RSS $(( $(proc_rss_kb "$MERIDIAN_PID") / 1024 )) MiB, $(proc_fds "$MERIDIAN_PID") fds at rest"

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
echo "$TARGET peak RSS   $(( $(proc_hwm_kb "$MERIDIAN_PID") / 1024 )) MiB (RSS now $(( $(proc_rss_kb "$MERIDIAN_PID") / 1024 )) MiB)"
echo "$TARGET peak fds   $(cat "$work/peak-fds" 2>/dev/null || echo "?") (now $(proc_fds "$MERIDIAN_PID"))"
echo "$TARGET CPU        $(proc_cpu_s "$MERIDIAN_PID") s in all"
if [ "$TARGET" = pgbouncer ]; then
  echo "PgBouncer log       $(grep -c -E ' (WARNING|ERROR) ' "$work/pgbouncer.log" || true) WARNING/ERROR lines"
  grep -E ' (WARNING|ERROR) ' "$work/pgbouncer.log" | sed 's/^[^]]*] //; s/C-0x[0-9a-f]*: [^ ]* //' | sort | uniq -c | sort -rn | head -5
  exit 0
fi
errors=$(grep -c -E ' (ERROR|WARN) ' "$work/meridian.log" || true)
echo "Meridian log        $errors WARN/ERROR lines"
[ "$errors" = 0 ] || grep -E ' (ERROR|WARN) ' "$work/meridian.log" | cut -d' ' -f2- | sort | uniq -c | sort -rn | head -5
