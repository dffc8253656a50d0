#!/usr/bin/env python3
"""Prints the medians and ratios of a bench/run.sh results file."""
import statistics
import sys
from collections import defaultdict

path, clk_tck, rss_kb, seconds, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
tps = defaultdict(list)
cpu = defaultdict(list)
order = []
for line in open(path):
    scenario, target, value, tx, ticks = line.rstrip("\n").split("\t")
    if scenario not in order:
        order.append(scenario)
    if value:
        tps[(scenario, target)].append(float(value))
    if target == "meridian" and tx and int(tx) > 0:
        cpu[scenario].append(int(ticks) / clk_tck / int(tx) * 1e6)

def med(key):
    values = tps.get(key)
    return statistics.median(values) if values else float("nan")

print(f"\nMedian TPS over {rounds} interleaved rounds of {seconds}s each:\n")
print(f"{'scenario':<8} {'direct':>10} {'pgbouncer':>10} {'haproxy':>10} {'meridian':>10} "
      f"{'M/direct':>9} {'M/bouncer':>10} {'M/haproxy':>10} {'M cpu/tx':>10}")
for s in order:
    d, b, h, m = (med((s, t)) for t in ("direct", "pgbouncer", "haproxy", "meridian"))
    c = statistics.median(cpu[s]) if cpu[s] else float("nan")
    print(f"{s:<8} {d:>10.0f} {b:>10.0f} {h:>10.0f} {m:>10.0f} {m / d:>9.2f} {m / b:>10.2f} {m / h:>10.2f} {c:>8.1f}us")
print(f"\nMeridian peak RSS: {rss_kb / 1024:.0f} MiB")
