#!/usr/bin/env python3
"""Prints a bench/run.sh results file as Markdown: medians over the interleaved rounds of TPS,
p50/p99 latency and each proxy's CPU per transaction, Meridian's ratios, peak RSS per proxy.

Results lines (tab-separated): scenario target tps transactions proxy-cpu-ticks p50-ms p99-ms load1
[aborted-clients]. A target with no line for a scenario (direct and HAProxy in transaction-mode
rows) gets no row there and "—" for its ratios; an "aborted" column appears when any run had
clients that pgbench aborted (their share of the TPS is missing).
"""
import argparse
import statistics
from collections import defaultdict

parser = argparse.ArgumentParser()
parser.add_argument("--results", required=True)
parser.add_argument("--clk-tck", type=int, required=True)
parser.add_argument("--rss", default="", help='"target=KiB ..." peak RSS per proxy')
parser.add_argument("--seconds", required=True)
parser.add_argument("--rounds", required=True)
parser.add_argument("--targets", required=True)
parser.add_argument("--title", default="")
args = parser.parse_args()

PROXIES = {"pgbouncer", "pgbouncer_old", "haproxy", "meridian", "candidate"}
cells = defaultdict(lambda: defaultdict(list))  # (scenario, target) -> metric -> values
loads = defaultdict(list)
order = []
for line in open(args.results):
    fields = line.rstrip("\n").split("\t")
    scenario, target, tps, tx, ticks, p50, p99, load = fields[:8]
    cells[(scenario, target)]["aborted"].append(int(fields[8]) if len(fields) > 8 else 0)
    if scenario not in order:
        order.append(scenario)
    cell = cells[(scenario, target)]
    loads[scenario].append(float(load))
    if tps:
        cell["tps"].append(float(tps))
    cell["p50"].append(float(p50))
    cell["p99"].append(float(p99))
    if target in PROXIES and tx and int(tx) > 0:
        cell["cpu"].append(int(ticks) / args.clk_tck / int(tx) * 1e6)


def med(scenario, target, metric):
    values = [v for v in cells[(scenario, target)][metric] if v == v]
    return statistics.median(values) if values else float("nan")


def ratio(a, b):
    return f"{a / b:.2f}" if a == a and b == b and b else "—"


targets = args.targets.split()
aborts = any(v for cell in cells.values() for v in cell["aborted"])
print(f"\nMedians over {args.rounds} interleaved rounds of {args.seconds} s; {args.title}\n")
print("| scenario | target | TPS | p50 ms | p99 ms | CPU/tx µs | load avg |" + (" aborted |" if aborts else ""))
print("|---|---|---:|---:|---:|---:|---:|" + ("---:|" if aborts else ""))
for s in order:
    for t in targets:
        if (s, t) not in cells:
            continue
        cpu = med(s, t, "cpu")
        cpu_text = f"{cpu:.0f}" if t in PROXIES and cpu == cpu else "—"
        aborted = f" {max(cells[(s, t)]['aborted'])} |" if aborts else ""
        print(f"| {s} | {t} | {med(s, t, 'tps'):.0f} | {med(s, t, 'p50'):.2f} | {med(s, t, 'p99'):.2f} "
              f"| {cpu_text} | {statistics.median(loads[s]):.1f} |{aborted}")

others = [t for t in targets if t != "meridian"]
if "meridian" in targets and others:
    print("\n| scenario | " + " | ".join(f"M/{t} TPS" for t in others)
          + " | " + " | ".join(f"M/{t} p99" for t in others if t in PROXIES) + " |")
    print("|---|" + "---:|" * (len(others) + len([t for t in others if t in PROXIES])))
    for s in order:
        m = med(s, "meridian", "tps")
        ratios = [ratio(m, med(s, t, "tps")) for t in others]
        p99s = [ratio(med(s, "meridian", "p99"), med(s, t, "p99")) for t in others if t in PROXIES]
        print(f"| {s} | " + " | ".join(ratios + p99s) + " |")

if args.rss.strip():
    peaks = [pair.split("=") for pair in args.rss.split()]
    print("\nPeak RSS: " + ", ".join(f"{t} {int(kb) / 1024:.0f} MiB" for t, kb in peaks))
