"""Parses the lines guest programs print through guest_bench.h:

    LINUX-BENCH name=<name> unit=ns iterations=<n> loops=<k> min=<x> median=<x> max=<x> idle_ns=<n>
    LINUX-BENCH-FAILED name=<name> error=<text, may contain spaces>
    LINUX-BENCH-CLOCK source=<clocksource> tsc_per_ns=<x>

A malformed LINUX-BENCH line becomes a warning, never a figure.

A program that runs unchanged on both systems (bench/posix/bench_posix.c, on Tessera's POSIX
personality and in the guest) prints the in-system suite's BENCH lines instead, one sample per
operation read from the TSC; same_program_figures turns them into the same entries."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import bench_lines  # noqa: E402

NAME = re.compile(r"^[a-z0-9_.]{1,63}$")
DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


class GuestFigures:
    def __init__(self):
        self.results = []        # dicts in the order printed
        self.failures = []       # {"name", "error"}
        self.clocksource = None
        self.tsc_per_ns = None   # TSC ticks per CLOCK_MONOTONIC ns (1.0 under icount)
        self.warnings = []

    def by_name(self):
        return {r["name"]: r for r in self.results}


def parse(text):
    figures = GuestFigures()
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        if words[0] == "LINUX-BENCH-CLOCK":
            fields = _fields(words[1:])
            figures.clocksource = fields.get("source")
            if DECIMAL.match(fields.get("tsc_per_ns", "")):
                figures.tsc_per_ns = float(fields["tsc_per_ns"])
        elif words[0] == "LINUX-BENCH-FAILED":
            name = _fields(words[1:2]).get("name", "?")
            figures.failures.append({"name": name, "error": line.partition("error=")[2]})
        elif words[0] == "LINUX-BENCH":
            entry = _result(_fields(words[1:]))
            if entry:
                figures.results.append(entry)
            else:
                figures.warnings.append(f"line {number}: malformed: {line.strip()}")
    return figures


def _fields(words):
    return dict(w.split("=", 1) for w in words if "=" in w)


def _result(fields):
    if not NAME.match(fields.get("name", "")) or not fields.get("unit"):
        return None
    for key in ("iterations", "loops", "idle_ns"):
        if not fields.get(key, "").isdigit():
            return None
    for key in ("min", "median", "max"):
        if not DECIMAL.match(fields.get(key, "")):
            return None
    entry = {"name": fields["name"], "unit": fields["unit"],
             "iterations": int(fields["iterations"]), "loops": int(fields["loops"]),
             "min": float(fields["min"]), "median": float(fields["median"]),
             "max": float(fields["max"]), "idle_ns": int(fields["idle_ns"])}
    if not entry["min"] <= entry["median"] <= entry["max"]:
        return None
    return entry


def same_program_figures(text, source):
    """Entries for the BENCH lines in `text` (median of the samples; one loop, so idle_ns is 0:
    these programs never wait for a device) and the BENCH parser's warnings. The TSC counts
    instructions under icount and tsc_per_ns TSC ticks per ns under kvm: the caller names the
    unit."""
    run = bench_lines.parse_lines(text.splitlines(), source)
    entries = [{"name": name, "unit": "ticks", "iterations": figure["iterations"], "loops": 1,
                "min": float(figure["min"]), "median": float(figure["median"]),
                "max": float(figure["max"] if figure["max"] is not None else figure["p99"]),
                "idle_ns": 0}
               for name, figure in ((n, run.results[n]) for n in run.order)]
    warnings = list(run.warnings)
    if run.end_count is not None and run.end_count != len(entries):
        warnings.append(f"{source}: BENCH-END says {run.end_count} results, {len(entries)} read")
    return entries, warnings
