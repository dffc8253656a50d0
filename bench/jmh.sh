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
scores = {}
for r in rows:
    name, _, metric = r["Benchmark"].partition(":")
    params = ",".join(f'{c[7:]}={r[c]}' for c in param_cols if r[c])
    scores.setdefault((name, params), {})[metric or "mean"] = float(r["Score"])
def label(name, params):
    short = name.replace("dev.meridian.bench.", "").replace("codec.", "").replace("relay.", "")
    return short + (f" [{params}]" if params else "")
print()
print("per protocol message; times sampled per invocation: p50/p90 are robust to preemption, the mean is not")
print(f'{"benchmark":<52} {"p50 ns":>8} {"p90 ns":>8} {"mean ns":>9} {"B/msg":>7} {"p50 vs baseline":>16}')
for (name, params), s in sorted(scores.items()):
    cls, method = name.rsplit(".", 1)
    ratio = ""
    if method.startswith("relay"):
        base = scores.get((cls + ".baseline" + method[len("relay"):], params))
        if base and base.get("p0.50"):
            ratio = f'{s["p0.50"] / base["p0.50"]:.2f}x'
    fmt = lambda m, f: (f % s[m]) if m in s else "-"
    print(f'{label(name, params):<52} {fmt("p0.50", "%.1f"):>8} {fmt("p0.90", "%.1f"):>8} {fmt("mean", "%.1f"):>9} '
          f'{fmt("gc.alloc.rate.norm", "%.2f"):>7} {ratio:>16}')
PY
