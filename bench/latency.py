#!/usr/bin/env python3
"""p50 and p99 latency (ms) of one pgbench run from its --log files (PREFIX.PID[.THREAD]).

    latency.py SCENARIO PREFIX      # prints "p50<TAB>p99"

A transaction's latency is the log's own time (third column, microseconds). For the C* scenarios
(pgbench -C) pgbench starts that clock after the new connection is up, so there the latency is
the client's whole cycle instead: the time between its consecutive transaction ends (connect,
authenticate, query, close); each client's first transaction has no predecessor and is skipped.
"""
import glob
import sys
from collections import defaultdict


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def latencies(scenario, files):
    cycle = scenario.startswith("C")
    ends = defaultdict(list)
    values = []
    for path in files:
        with open(path) as log:
            for line in log:
                fields = line.split()
                if len(fields) < 6 or fields[2] == "skipped":
                    continue
                if cycle:
                    ends[(path, fields[0])].append(int(fields[4]) * 1_000_000 + int(fields[5]))
                else:
                    values.append(int(fields[2]))
    for stamps in ends.values():
        stamps.sort()
        values.extend(b - a for a, b in zip(stamps, stamps[1:]))
    return sorted(values)


def main():
    scenario, prefix = sys.argv[1], sys.argv[2]
    values = latencies(scenario, glob.glob(prefix + ".*"))
    print(f"{percentile(values, 50) / 1000:.3f}\t{percentile(values, 99) / 1000:.3f}")


if __name__ == "__main__":
    main()
