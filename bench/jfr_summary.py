#!/usr/bin/env python3
"""Summarises JFR execution samples (or async-profiler's collapsed stacks, --collapsed): the hottest methods by self and by inclusive samples.

    jfr print --stack-depth 64 --events jdk.ExecutionSample rec.jfr | jfr_summary.py [--top 25] [--match dev.meridian]

Inclusive counts each method once per sample it appears in; --match keeps only methods whose
name contains that text in the inclusive list (the self list is always unfiltered).
"""
import argparse
import re
import sys
from collections import Counter

parser = argparse.ArgumentParser()
parser.add_argument("--top", type=int, default=25)
parser.add_argument("--match", default="")
parser.add_argument("--collapsed", action="store_true", help="async-profiler collapsed stacks")
args = parser.parse_args()

FRAME = re.compile(r"^\s+([\w$.<>/]+)\(.*\)\s+line:")
samples, stack = [], None
for line in sys.stdin if args.collapsed else []:
    frames, _, count = line.rstrip("\n").rpartition(" ")
    # root first; self frame last. Strip async-profiler's _[j]/_[k] frame-type suffixes.
    stack = [re.sub(r"_\[\w\]$", "", f) for f in reversed(frames.split(";"))]
    samples.extend([stack] * int(count))
stack = None
for line in [] if args.collapsed else sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        stack = []
    elif stack is not None and (m := FRAME.match(line)):
        stack.append(m.group(1))
    elif line.startswith("}") and stack is not None:
        samples.append(stack)
        stack = None

self_counts, inclusive = Counter(), Counter()
for s in samples:
    if s:
        self_counts[s[0]] += 1
    for method in set(s):
        if args.match in method:
            inclusive[method] += 1
total = len(samples) or 1
print(f"{len(samples)} samples\n\nself:")
for method, n in self_counts.most_common(args.top):
    print(f"{n:6d} {100 * n / total:5.1f}%  {method}")
print(f"\ninclusive{' (' + args.match + ')' if args.match else ''}:")
for method, n in inclusive.most_common(args.top):
    print(f"{n:6d} {100 * n / total:5.1f}%  {method}")
