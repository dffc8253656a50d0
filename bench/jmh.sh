#!/usr/bin/env bash
# JMH benchmarks of the codec and relay hot path (module bench/jmh), run with the GC profiler,
# summarised per protocol message: time, and bytes allocated (gc.alloc.rate.norm).
#
#   bench/jmh.sh [--no-build] [JMH options and benchmark patterns...]
#   bench/jmh.sh                                  # everything (about 5 minutes)
#   bench/jmh.sh Relay -p input=reused -i 10      # the relay only, longer
#
# ScannerBenchmark: MessageScanner (the relay's only look at the bytes) over typical reads;
# DecoderBenchmark: FrontendDecoder/BackendDecoder on the same reads, for comparison;
# RelayBenchmark: Meridian's session relay vs a forward-only baseline on the same harness.
# Builds bench/jmh/target/benchmarks.jar first (-Pbenchmarks) unless --no-build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=1
if [ "${1:-}" = --no-build ]; then BUILD=; shift; fi
JAR=bench/jmh/target/benchmarks.jar
if [ -n "$BUILD" ] || [ ! -f "$JAR" ]; then
  ./mvnw -B -q -Pbenchmarks -DskipTests package -pl bench/jmh -am
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
java -jar "$JAR" -prof gc -rf csv -rff "$out/results.csv" "$@" | tee "$out/run.log" | grep -E '^(# Benchmark:|# Parameters|Result|Benchmark )' || true
python3 - "$out/results.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
param_cols = [c for c in (rows[0].keys() if rows else []) if c.startswith("Param: ")]
def key(r):
    name = r["Benchmark"].split(":")[0]
    params = ",".join(f'{c[7:]}={r[c]}' for c in param_cols if r[c])
    return name, params
time, err, alloc = {}, {}, {}
for r in rows:
    k = key(r)
    if r["Benchmark"].endswith(":gc.alloc.rate.norm"):
        alloc[k] = float(r["Score"])
    elif ":" not in r["Benchmark"]:
        time[k] = float(r["Score"])
        err[k] = r["Score Error (99.9%)"]
def short(name):
    return name.replace("dev.meridian.bench.", "").replace("codec.", "").replace("relay.", "")
print()
print(f'{"benchmark (per protocol message)":<52} {"ns/msg":>9} {"± 99.9%":>9} {"B/msg":>7} {"vs baseline":>12}')
for k in sorted(time):
    name, params = k
    label = short(name) + (f" [{params}]" if params else "")
    e = err[k]
    e = f"{float(e):.1f}" if e not in ("", "NaN") else "-"
    ratio = ""
    method = name.rsplit(".", 1)[1]
    if method.startswith("relay"):
        base = (name.rsplit(".", 1)[0] + ".baseline" + method[len("relay"):], params)
        if base in time:
            ratio = f"{time[k] / time[base]:.2f}x"
    b = alloc.get(k)
    print(f'{label:<52} {time[k]:>9.1f} {e:>9} {("%.2f" % b) if b is not None else "-":>7} {ratio:>12}')
PY
