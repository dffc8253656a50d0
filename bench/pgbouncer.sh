#!/usr/bin/env bash
# Prints the path of a PgBouncer 1.24.1 binary, building it once from Debian 13 (trixie)'s source
# package into a cache folder (steps: ../shared/anchors/README.md) and reusing it afterwards.
#
#   bench/pgbouncer.sh            # path on stdout; progress and failures on stderr
#
# Cache: ${MERIDIAN_BENCH_CACHE:-~/.cache/meridian-bench}/pgbouncer-1.24.1/pgbouncer.
# When it cannot build (no root for apt, no mirror, a compile error), it says why on stderr and
# prints the packaged /usr/sbin/pgbouncer instead (Debian 12: 1.18), which the caller labels by
# asking the binary for its --version. Exits non-zero only when no PgBouncer exists at all.
set -euo pipefail
VERSION=1.24.1
CACHE=${MERIDIAN_BENCH_CACHE:-$HOME/.cache/meridian-bench}
DEST=$CACHE/pgbouncer-$VERSION
BIN=$DEST/pgbouncer

fallback() {
  echo "pgbouncer.sh: cannot build PgBouncer $VERSION: $1" >&2
  if [ -x /usr/sbin/pgbouncer ]; then
    echo "pgbouncer.sh: falling back to the packaged $(/usr/sbin/pgbouncer --version | head -1)" >&2
    echo /usr/sbin/pgbouncer; exit 0
  fi
  echo "pgbouncer.sh: and no packaged pgbouncer either (apt-get install -y pgbouncer)" >&2; exit 1
}

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "PgBouncer $VERSION"; then
  echo "$BIN"; exit 0
fi
[ "$(id -u)" = 0 ] || fallback "building needs root for apt-get (deb-src for trixie, libevent-dev)"

apt_get() { apt-get -o DPkg::Lock::Timeout=600 -q "$@" >> "$CACHE/build.log" 2>&1; }
mkdir -p "$CACHE"
echo "pgbouncer.sh: building PgBouncer $VERSION into $DEST (log: $CACHE/build.log)" >&2
src_list=/etc/apt/sources.list.d/trixie-src.sources
if [ ! -f "$src_list" ]; then
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || fallback "no Debian mirror in /etc/apt/sources.list.d/debian.sources"
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" > "$src_list"
  apt_get update || fallback "apt-get update failed (see $CACHE/build.log)"
fi
need=()
for p in build-essential pkg-config libevent-dev libssl-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt_get install -y "${need[@]}" || fallback "apt-get install ${need[*]} failed (see $CACHE/build.log)"
fi

build=$CACHE/src
rm -rf "$build"; mkdir -p "$build"
( cd "$build" && apt_get source --download-only "pgbouncer/trixie" ) \
  || fallback "apt-get source pgbouncer/trixie failed (see $CACHE/build.log)"
tarball=$build/pgbouncer_$VERSION.orig.tar.gz
[ -f "$tarball" ] || fallback "trixie's source package is not $VERSION: $(ls "$build")"
tar xzf "$tarball" -C "$build"
( cd "$build/pgbouncer-$VERSION" && ./configure --without-cares && make -j2 ) >> "$CACHE/build.log" 2>&1 \
  || fallback "configure/make failed (see $CACHE/build.log)"
mkdir -p "$DEST"
cp "$build/pgbouncer-$VERSION/pgbouncer" "$BIN"
# PgBouncer refuses root: the benchmarks run it as postgres, who must reach the binary.
chmod 755 "$CACHE" "$DEST" "$BIN"; chmod o+x "$HOME" "$HOME/.cache" 2>/dev/null || true
rm -rf "$build"
"$BIN" --version >&2
echo "$BIN"
