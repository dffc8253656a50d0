# Shell functions shared by bench/run.sh, bench/load.sh and bench/soak.sh: find the tools, make
# a scratch directory, start one PostgreSQL and Meridian in front of it, sample a process, and
# clean everything up on exit. Source it from the repository root:
#
#   cd "$(dirname "$0")/.." && . bench/lib.sh && bench_init [other required tools...]
#
# Every process a script starts is ended by its pid (pids+=(...), or a pid file in $work for
# daemons started through runuser); PostgreSQL is stopped with pg_ctl; $work is removed.

PASS=bench-secret

# Checks the tools, builds the jar if needed (MERIDIAN_JAR=path measures another build), makes
# $work; sets ROOT bindir JAR work pids.
bench_init() {
  ROOT=$PWD
  bindir=$(pg_config --bindir 2>/dev/null || true)
  [ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  for tool in "$bindir/initdb" "$bindir/pg_ctl" "$bindir/pgbench" "$bindir/psql"; do
    [ -x "$tool" ] || { echo "missing $tool: apt-get install -y postgresql" >&2; exit 1; }
  done
  for tool in java python3 "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y $tool" >&2; exit 1; }
  done
  # MERIDIAN_JAR: a copy to measure (a rebuild must not rewrite the jar under a running proxy).
  JAR=${MERIDIAN_JAR:-$ROOT/proxy/target/meridian.jar}
  [ -f "$JAR" ] || ./mvnw -q -DskipTests package
  work=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/meridian-bench.XXXXXX")
  [ "$(id -u)" = 0 ] && chown postgres: "$work"
  pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# As the postgres user when running as root (initdb refuses root), else as ourselves.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bench_cleanup() {
  local p f
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # runuser's child (pgbouncer) outlives a kill of runuser itself: it names its pid in a file.
  for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f" 2>/dev/null)" 2>/dev/null || true; done
  as_pg "$bindir/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}

# A free TCP port on 127.0.0.1, below the ephemeral range (so no client socket takes it later).
free_port() {
  python3 -c '
import random, socket
for _ in range(1000):
    port = random.randint(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        print(port)
        break
    except OSError:
        pass
    finally:
        s.close()'
}

wait_port() {
  for _ in $(seq 300); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on port $1" >&2; return 1
}

# start_postgres PORT SCALE MAX_CONNECTIONS: a throwaway server (SCRAM, password $PASS) with a
# pgbench-initialised database "bench"; exports PGPASSWORD for the client tools.
start_postgres() {
  local port=$1 scale=$2 max_connections=$3
  echo "$PASS" > "$work/pw"; [ "$(id -u)" = 0 ] && chown postgres: "$work/pw"
  as_pg "$bindir/initdb" -D "$work/pg" -U postgres -A scram-sha-256 --pwfile="$work/pw" --no-sync -E UTF8 --locale=C >/dev/null
  cat >> "$work/pg/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
max_connections = $max_connections
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  as_pg "$bindir/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
  export PGPASSWORD=$PASS
  "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE bench" postgres
  "$bindir/pgbench" -q -i -s "$scale" -h 127.0.0.1 -p "$port" -U postgres bench >/dev/null 2>&1
}

# meridian_yaml PORT ADMIN PGPORT [YAML...]: Meridian in front of that server, logging into it as
# postgres; each further argument is a top-level section line (auth defaults to trust).
meridian_yaml() {
  local port=$1 admin=$2 pgport=$3; shift 3
  {
    echo "listen: { host: 127.0.0.1, port: $port }"
    echo "admin: { host: 127.0.0.1, port: $admin }"
    echo "region: iad"
    printf '%s\n' "$@"
    case " $* " in *"auth:"*) ;; *) echo "auth: { method: trust }" ;; esac
    echo "backends:"
    echo "  - { name: bench, region: iad, host: 127.0.0.1, port: $pgport, user: postgres, password: \"$PASS\", tls: { mode: disable } }"
    echo "databases:"
    echo "  \"*\": { regions: [iad] }"
  } > "$work/meridian.yaml"
}

# start_meridian PORT: runs the jar on $work/meridian.yaml; sets MERIDIAN_PID.
start_meridian() { start_meridian_as meridian "$JAR" "$1"; MERIDIAN_PID=$STARTED_PID; }

# start_meridian_as NAME JAR PORT [JAVA_OPTS]: runs JAR on $work/NAME.yaml, logging to
# $work/NAME.log, with JAVA_OPTS or else MERIDIAN_JAVA_OPTS (default: a pre-sized 512 MiB heap,
# parallel GC); sets STARTED_PID.
start_meridian_as() {
  java ${4:-${MERIDIAN_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}} -jar "$2" run -c "$work/$1.yaml" \
    > "$work/$1.log" 2>&1 & STARTED_PID=$!; pids+=("$STARTED_PID")
  wait_port "$3" || { tail -20 "$work/$1.log" >&2; return 1; }
}

# What the kernel says about a process: resident and peak resident KiB, open fds, threads, CPU s.
proc_rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
proc_hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
proc_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
proc_threads() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }
proc_cpu_s() { awk -v tck="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / tck}' "/proc/$1/stat"; }

# start_pgbouncer BINARY PORT PGPORT AUTH_TYPE [POOL_SIZE] [MAX_CLIENTS]: session mode in front of
# database bench, clients checked against $work/userlist.txt (write it first), the server login
# with $PASS (BOUNCER_DB_AUTH="" instead: as each client's own user, with its SCRAM keys or the
# auth_file's password); runs as postgres when we are root (PgBouncer refuses root); pid in
# $work/pgbouncer.pid. A second instance: BOUNCER_NAME=other (files $work/other.*) and
# BOUNCER_EXTRA="pool_mode = transaction\n..." (lines appended to [pgbouncer], later ones win).
start_pgbouncer() {
  local bin=$1 port=$2 pgport=$3 auth_type=$4 pool=${5:-200} max_clients=${6:-2000}
  local name=${BOUNCER_NAME:-pgbouncer}
  cat > "$work/$name.ini" <<CONF
[databases]
bench = host=127.0.0.1 port=$pgport dbname=bench ${BOUNCER_DB_AUTH-user=postgres password=$PASS}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
listen_backlog = 4096
unix_socket_dir =
auth_type = $auth_type
auth_file = $work/userlist.txt
pool_mode = session
max_client_conn = $max_clients
default_pool_size = $pool
client_login_timeout = ${BOUNCER_LOGIN_TIMEOUT:-60}
logfile = $work/$name.log
pidfile = $work/$name.pid
CONF
  [ -z "${BOUNCER_EXTRA:-}" ] || printf '%b\n' "$BOUNCER_EXTRA" >> "$work/$name.ini"
  [ "$(id -u)" = 0 ] && chown postgres: "$work/$name.ini" "$work/userlist.txt"
  # Not through runuser: its PAM session resets the open-files limit (to 1024 here), and raising
  # it again needs a capability containers lack. setpriv keeps ours.
  if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=postgres --regid=postgres --init-groups "$bin" "$work/$name.ini" >/dev/null 2>&1 & pids+=($!)
  else
    as_pg "$bin" "$work/$name.ini" >/dev/null 2>&1 & pids+=($!)
  fi
  wait_port "$port" || { tail -5 "$work/$name.log" >&2; return 1; }
  for _ in $(seq 50); do [ -s "$work/$name.pid" ] && return 0; sleep 0.1; done
  echo "pgbouncer wrote no pid file" >&2; return 1
}

# start_haproxy PORT PGPORT: plain TCP forwarding; sets HAPROXY_PID.
start_haproxy() {
  cat > "$work/haproxy.cfg" <<CONF
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
listen pg
  bind 127.0.0.1:$1
  server pg 127.0.0.1:$2
CONF
  haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & HAPROXY_PID=$!; pids+=("$HAPROXY_PID")
}
