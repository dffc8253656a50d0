#!/usr/bin/env bash
# The WAN scenario: what a brand-new client connection costs when the database is far away.
# A bench-only relay (bench/jmh: DelayRelay) adds a fixed one-way delay in each direction in front
# of a "far" PostgreSQL (SCRAM-SHA-256, password user). For N new connections per target, the
# client (WanClient, pgjdbc) measures from the start of connect to the first row of SELECT 1:
#   direct          pgjdbc -> delay relay -> PostgreSQL (TCP + startup + SCRAM + query, all delayed)
#   meridian-trust  pgjdbc -> Meridian (local; auth method trust) -> warm pool -> delay relay -> PostgreSQL
#   meridian-scram  the same, but the client logs in to Meridian with SCRAM (users file)
#   meridian-http   a brand-new HTTP client (new TCP connection, Connection: close) -> Meridian's
#                   edge listener, POST /sql of SELECT 1 -> the trust instance's warm pool -> relay
# Meridian logs in to the far backend as the backend's own user (wan), so every client shares one
# pool, warmed before measuring (and kept warm by pool.min_idle).
#
#   bench/wan.sh [--delay-ms 40] [--connections 30] [--warm-connections 8] [--trace]
#
# --trace prints the relay's log (every delivered chunk: direction, size, message types, time).
# Needs the Debian package postgresql and a JDK; builds bench/jmh/target/benchmarks.jar and
# proxy/target/meridian.jar if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DELAY_MS=40 CONNECTIONS=30 WARM_CONNECTIONS=8 TRACE=
while [ $# -gt 0 ]; do
  case "$1" in
    --delay-ms) DELAY_MS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --warm-connections) WARM_CONNECTIONS=$2; shift 2 ;;
    --trace) TRACE=--trace; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
for tool in "$bindir/initdb" "$bindir/pg_ctl" "$bindir/psql"; do
  [ -x "$tool" ] || { echo "missing $tool: apt-get install -y postgresql" >&2; exit 1; }
done
for tool in java python3; do
  command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
JAR=$ROOT/proxy/target/meridian.jar
BENCH_JAR=$ROOT/bench/jmh/target/benchmarks.jar
if [ ! -f "$JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  ./mvnw -B -q -Pbenchmarks -DskipTests package -pl bench/jmh -am
fi

work=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/meridian-wan.XXXXXX")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$bindir/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Ports below 32768 (the kernel's ephemeral range starts there: outgoing connections never take them).
free_port() {
  python3 -c '
import random, socket
while True:
    p = random.randint(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()'
}
PGPORT=$(free_port) RELAY=$(free_port) M_TRUST=$(free_port) A_TRUST=$(free_port) M_SCRAM=$(free_port) A_SCRAM=$(free_port) E_TRUST=$(free_port)
SUPERPASS=bench-super WANPASS=wan-secret-$$

echo "# starting the far PostgreSQL on $PGPORT, delay relay on $RELAY ($DELAY_MS ms each way)"
echo "$SUPERPASS" > "$work/pw"; [ "$(id -u)" = 0 ] && chown postgres: "$work/pw"
as_pg "$bindir/initdb" -D "$work/pg" -U postgres -A scram-sha-256 --pwfile="$work/pw" --no-sync -E UTF8 --locale=C >/dev/null
cat >> "$work/pg/postgresql.conf" <<CONF
port = $PGPORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
password_encryption = 'scram-sha-256'
max_connections = 100
fsync = off
CONF
as_pg "$bindir/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
PGPASSWORD=$SUPERPASS "$bindir/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres postgres \
  -c "CREATE ROLE wan LOGIN PASSWORD '$WANPASS'" -c "CREATE DATABASE wan OWNER wan"

java -cp "$BENCH_JAR" dev.meridian.bench.wan.DelayRelay "$RELAY" "127.0.0.1:$PGPORT" "$DELAY_MS" $TRACE \
  > "$work/relay.log" 2>&1 & pids+=($!)

# Client side of the second instance: a users file with wan's SCRAM verifier (made by Meridian).
printf '%s\n' "$WANPASS" | java -jar "$JAR" scram-secret wan > "$work/users.txt"
meridian_config() {  # port admin-port auth [edge-port]
  local edge=""
  [ -n "${4:-}" ] && edge="edge: { listen: { host: 127.0.0.1, port: $4 } }"
  cat <<CONF
listen: { host: 127.0.0.1, port: $1 }
admin: { host: 127.0.0.1, port: $2 }
$edge
region: iad
auth: $3
pool: { min_idle: 4 }
backends:
  - { name: far-1, region: lhr, host: 127.0.0.1, port: $RELAY, user: wan, password: "$WANPASS", tls: { mode: disable } }
databases:
  "*": { regions: [lhr] }
health: { interval: 5s, timeout: 3s }
CONF
}
meridian_config "$M_TRUST" "$A_TRUST" "{ method: trust }" "$E_TRUST" > "$work/trust.yaml"
meridian_config "$M_SCRAM" "$A_SCRAM" "{ method: scram-sha-256, users_file: $work/users.txt }" > "$work/scram.yaml"
for mode in trust scram; do
  java ${MERIDIAN_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -jar "$JAR" run -c "$work/$mode.yaml" \
    > "$work/meridian-$mode.log" 2>&1 & pids+=($!)
done
for port in $RELAY $M_TRUST $M_SCRAM $E_TRUST; do
  for _ in $(seq 150); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
  (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo "nothing listens on $port:" >&2; tail -n 20 "$work"/*.log >&2; exit 1; }
done
for admin in $A_TRUST $A_SCRAM; do  # /ready: the far backend passed a health check
  for _ in $(seq 150); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$admin/ready', timeout=2)" 2>/dev/null && break
    sleep 0.2
  done
done

echo "# measuring: $CONNECTIONS new connections per target, pool warmed with $WARM_CONNECTIONS sessions at once"
status=0
java -Xms256m -Xmx256m -cp "$BENCH_JAR" dev.meridian.bench.wan.WanClient --delay-ms "$DELAY_MS" \
  --connections "$CONNECTIONS" --warm-connections "$WARM_CONNECTIONS" --user wan --password "$WANPASS" \
  --target "direct=127.0.0.1:$RELAY/wan" \
  --target "meridian-trust=127.0.0.1:$M_TRUST/wan" \
  --target "meridian-scram=127.0.0.1:$M_SCRAM/wan" \
  --target "meridian-http=http://127.0.0.1:$E_TRUST/wan" || status=$?
# A pooled=false count above the warm-up's sessions means some client found no idle connection
# on its event loop and paid a full backend login over the delay.
for admin in $A_TRUST $A_SCRAM; do
  python3 - "$admin" <<'PY' || true
import re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
counts = {m.group(1): float(m.group(2)) for m in re.finditer(
    r'meridian_backend_connect_seconds_count\{[^}]*pooled="(true|false)"[^}]*\} (\S+)', text)}
print(f"# Meridian (admin {sys.argv[1]}): backend connections obtained: from the pool {counts.get('true', 0):.0f}, "
      f"fresh logins {counts.get('false', 0):.0f}")
PY
done
if [ -n "$TRACE" ]; then echo "# relay trace"; cat "$work/relay.log"; fi
if [ $status -ne 0 ]; then
  echo "# the client failed; Meridian's logs:" >&2
  tail -n 20 "$work/relay.log" "$work/meridian-trust.log" "$work/meridian-scram.log" >&2
fi
exit $status
