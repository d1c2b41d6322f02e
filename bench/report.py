#!/usr/bin/env python3
"""Merges the in-system BENCH lines and the Linux baseline JSON into results.json and results.md.

Usage: report.py --linux linux.json --out-dir build/bench [--mode auto|kvm|icount]
                 [--linux-guest linux_guest.json] [--boot boot.json] [--fs-linux fs_linux.json]
                 [--sel4bench-tessera FILE --sel4bench-sel4 FILE] [in-system serial logs...]
With no in-system logs the report says that the in-system suite has not run: Tessera figures are
never invented. Schema and table guide: docs/benchmarks.md.
"""

import argparse
import datetime
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sel4bench"))
import bench_lines  # noqa: E402
import mode as bench_mode  # noqa: E402
import report_markdown  # noqa: E402
import sel4bench_figures  # noqa: E402

# Issue 9's headline names, in table order. Other names the suite prints are reported after them.
TESSERA_NAMES = (
    "null_syscall", "ipc_roundtrip_same_as", "ipc_roundtrip_cross_as",
    "ipc_roundtrip_cross_as_10w", "ipc_roundtrip_cross_as_120w", "ipc_roundtrip_slowpath",
    "ipc_oneway", "notify_cross_as", "yield_switch", "irq_latency", "map_unmap_4k", "retype_4k",
)
LINUX_NAMES = (
    "null_syscall", "pipe_roundtrip", "futex_roundtrip", "unix_socket_roundtrip",
    "eventfd_roundtrip", "mmap_munmap_4k",
)

# The nearest Linux figure for each Tessera figure, and what differs between the two.
NEAREST_LINUX = {
    "null_syscall": ("null_syscall", "both a kernel entry and exit doing no work"),
    "ipc_roundtrip_same_as": ("futex_roundtrip", "two threads of one address space"),
    "ipc_roundtrip_cross_as": ("pipe_roundtrip", "two processes; issue 9 asks for >= 10x"),
    "ipc_roundtrip_cross_as_10w": ("pipe_roundtrip", "Linux moves 1 byte, Tessera 10 words"),
    "ipc_roundtrip_cross_as_120w": ("pipe_roundtrip", "Linux moves 1 byte, Tessera 120 words"),
    "ipc_roundtrip_slowpath": ("unix_socket_roundtrip", "sockets are Linux's capability carrier"),
    "notify_cross_as": ("eventfd_roundtrip", "Linux figure is a round trip: two signals"),
    "notify_roundtrip_cross_as": ("eventfd_roundtrip", "both a round trip: two signals, two waits"),
    "fault_roundtrip_cross_as": ("null_syscall", "Tessera: a system call served by a user-level "
                                 "handler in another address space; Linux: served in its kernel"),
    "map_unmap_4k": ("mmap_munmap_4k", "Linux also allocates and zeroes the page"),
    # Printed instead of null_syscall by a kernel that refuses seL4_SysBenchmarkNullSyscall.
    "yield_alone": ("null_syscall", "Tessera: seL4_Yield with nothing else runnable, not a null call"),
    "block.read_4k_random_per_kib": ("pread_4k_random_direct_per_kib",
                                     "same disk; Linux: O_DIRECT pread of /dev/vda, per KiB"),
    "block.read_1mib_seq_per_kib": ("pread_1mib_seq_direct_per_kib",
                                    "same disk; Linux: O_DIRECT pread of /dev/vda, per KiB"),
}
# bench/posix/bench_posix.c runs unchanged on both systems: each figure meets its namesake.
SAME_PROGRAM = "the same static musl program on both; Tessera: served by the POSIX personality"
NEAREST_LINUX.update({name: (name, SAME_PROGRAM) for name in (
    "posix.getppid", "posix.pipe_round_trip", "posix.fork_exit_wait",
    "posix.fork_execve_busybox_true_wait")})


def load_linux(path):
    """The baseline's JSON, checked for the fields the report needs."""
    with open(path, encoding="utf-8") as file:
        linux = json.load(file)
    for key in ("cpu", "tsc_hz", "results"):
        if key not in linux:
            raise ValueError(f"{path}: no '{key}' in the Linux baseline output")
    return linux


def nanoseconds(ticks, hz):
    """ticks at hz, in nanoseconds to three decimals, or None without a frequency."""
    if not hz:
        return None
    return round(ticks * 1e9 / hz, 3)


def tessera_results(run, mode, hz):
    """results.json entries for the in-system figures, issue 9's names first."""
    names = [n for n in TESSERA_NAMES if n in run.results]
    names += [n for n in run.order if n not in TESSERA_NAMES]
    entries = []
    for name in names:
        figures = run.results[name]
        entries.append({
            "system": "tessera",
            "name": name,
            "unit": "cycles" if mode == "kvm" else "instructions",
            "iterations": figures["iterations"],
            "min_cycles": figures["min"],
            "median_cycles": figures["median"],
            "p90_cycles": figures["p90"],
            "p99_cycles": figures["p99"],
            "max_cycles": figures["max"],
            # Under icount a tick is an instruction, which has no duration.
            "median_ns": nanoseconds(figures["median"], hz) if mode == "kvm" else None,
        })
        if figures.get("kernel"):
            entries[-1]["kernel"] = figures["kernel"]
    return entries


def linux_results(linux):
    entries = []
    for entry in linux["results"]:
        merged = {"system": "linux", "unit": "cycles"}
        merged.update(entry)
        entries.append(merged)
    return entries


def comparisons(tessera, linux, mode):
    """Each Tessera figure beside its nearest Linux figure. Divided only under kvm, where both
    are cycles; under icount Tessera counts instructions, so the ratio is None."""
    linux_by_name = {entry["name"]: entry for entry in linux}
    rows = []
    for entry in tessera:
        nearest = NEAREST_LINUX.get(entry["name"])
        if not nearest or nearest[0] not in linux_by_name:
            continue
        other = linux_by_name[nearest[0]]
        ratio = None
        if mode == "kvm" and entry["median_cycles"]:
            ratio = round(other["median_cycles"] / entry["median_cycles"], 2)
        rows.append({
            "tessera": entry["name"],
            "tessera_median_cycles": entry["median_cycles"],
            "tessera_unit": entry["unit"],
            "linux": nearest[0],
            "linux_median_cycles": other["median_cycles"],
            "linux_unit": "cycles",
            "linux_over_tessera": ratio,
            "note": nearest[1],
        })
    return rows


def load_optional(path, required, producer):
    """A JSON document another bench step wrote, or None when no path was given; a document
    without the `required` keys is an error naming `producer`."""
    if not path:
        return None
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    missing = [key for key in required if key not in document]
    if missing:
        raise ValueError(f"{path}: not {producer}'s output (no {', '.join(missing)})")
    return document


def linux_guest_results(guest):
    """results.json entries for Linux measured in the guest: loop means per iteration, in the
    guest's unit (instructions under icount, ns under kvm)."""
    entries = []
    for figure in (guest or {}).get("results", []):
        unit = guest.get("unit", "ns")
        entries.append({
            "system": "linux_guest", "name": figure["name"], "unit": unit,
            "iterations": figure["iterations"], "loops": figure["loops"],
            "min": figure["min"], "median": figure["median"], "max": figure["max"],
            "idle_ns": figure["idle_ns"],
            "median_ns": figure["median"] if unit == "ns" else None,
        })
    return entries


def same_unit_comparisons(tessera, guest_entries, mode):
    """Each Tessera figure beside the nearest Linux-guest figure, in one unit: instructions under
    icount (both counted by -icount shift=0), nanoseconds under kvm. linux_over_tessera above 1
    means Tessera does the work in fewer."""
    guest_by_name = {entry["name"]: entry for entry in guest_entries}
    rows = []
    for entry in tessera:
        nearest = NEAREST_LINUX.get(entry["name"])
        if not nearest or nearest[0] not in guest_by_name:
            continue
        other = guest_by_name[nearest[0]]
        if mode == "icount" and other["unit"] == "instructions":
            unit, ours, theirs = "instructions", entry["median_cycles"], other["median"]
        elif mode == "kvm" and other["unit"] == "ns" and entry["median_ns"]:
            unit, ours, theirs = "ns", entry["median_ns"], other["median"]
        else:
            continue
        rows.append({
            "tessera": entry["name"], "tessera_median": ours, "linux": nearest[0],
            "linux_median": theirs, "unit": unit,
            "linux_over_tessera": round(theirs / ours, 2) if ours else None,
            "note": nearest[1],
        })
    return rows


def linux_guest_summary(guest):
    if guest is None:
        return {"status": "not_run", "note": "No Linux guest run was given to the report."}
    keys = ("status", "error", "date", "mode", "unit", "kernel", "kernel_command_line",
            "clocksource", "tsc_per_ns", "iterations", "loops", "warmup", "failures", "warnings")
    return {key: guest.get(key) for key in keys if key in guest}


def in_system_summary(run):
    status = run.status()
    notes = {
        "not_run": "The in-system suite has not run yet: no Tessera figures exist.",
        "empty": "The in-system suite's output held no BENCH lines.",
        "incomplete": "The in-system output has no BENCH-END line matching its results: "
                      "the run may have been cut short.",
        "complete": "The in-system suite ran to its BENCH-END line.",
    }
    return {
        "status": status,
        "note": notes[status],
        "sources": run.sources,
        "warnings": run.warnings,
        "missing": [name for name in TESSERA_NAMES if name not in run.results]
        if status != "not_run" else list(TESSERA_NAMES),
    }


def load_sel4bench(path):
    """A run_sel4bench.py document, or a "not run" one when there is no file."""
    if not path or not os.path.exists(path):
        return {"status": "not_run", "reason": "not run", "results": []}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def sel4bench_section(tessera, sel4):
    """sel4bench booted on both kernels under -icount: its figures side by side (instructions)."""
    return {
        "unit": "instructions",
        "tessera": {"status": tessera.get("status"), "reason": tessera.get("reason", "")},
        "sel4": {"status": sel4.get("status"), "reason": sel4.get("reason", "")},
        "rows": sel4bench_figures.side_by_side(tessera, sel4),
    }


def filesystem_section(document):
    """bench/fs/linux/run_fs_linux_bench.py's comparison of the file-system benchmarks (Tessera's
    ext2 service and Linux's ext2 on copies of one volume, same QEMU mode), or "not run"."""
    if document is None:
        return {"status": "not_run", "note": "No file-system comparison was given to the report."}
    keys = ("status", "error", "date", "mode", "unit", "loops", "kernel", "failures",
            "comparison", "cold_read_per_4k")
    return {key: document.get(key) for key in keys if key in document}


def merge(run, linux, mode, mode_reason, date=None, machine=None, guest=None, boot=None,
          sel4bench=None, filesystem=None):
    """The results.json document (issue 9's schema plus context fields; docs/benchmarks.md)."""
    # Under kvm the guest reads the host's TSC; the kernel's own boot measurement is preferred.
    tessera_hz = run.tsc_hz or (linux["tsc_hz"] if mode == "kvm" else None)
    tessera = tessera_results(run, mode, tessera_hz)
    linux_entries = linux_results(linux)
    guest_entries = linux_guest_results(guest)
    return {
        "date": date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine or f"{platform.node()} ({linux.get('kernel', platform.platform())})",
        "cpu": linux["cpu"],
        "mode": mode,
        "mode_reason": mode_reason,
        "tsc_hz": linux["tsc_hz"],
        "tessera_tsc_hz": run.tsc_hz,
        "in_system": in_system_summary(run),
        "linux": {key: linux.get(key) for key in
                  ("date", "kernel", "pinned_cpu", "tsc_hz_source", "timer_overhead_cycles",
                   "warmup", "failures")},
        "linux_guest": linux_guest_summary(guest),
        "boot": boot if boot is not None else {"status": "not_run"},
        "results": tessera + linux_entries + guest_entries,
        "comparisons": comparisons(tessera, linux_entries, mode),
        "same_unit_comparisons": same_unit_comparisons(tessera, guest_entries, mode),
        "sel4bench": sel4bench or sel4bench_section({"status": "not_run"}, {"status": "not_run"}),
        "filesystem": filesystem_section(filesystem),
    }


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--linux", required=True, help="linux_baseline's JSON output")
    parser.add_argument("--out-dir", required=True, help="where results.json and results.md go")
    parser.add_argument("--mode", default="auto", choices=("auto",) + bench_mode.MODES,
                        help="how the in-system suite was timed (default: bench/mode.py's choice)")
    parser.add_argument("--linux-guest", help="bench/linux/guest/run_linux_bench.py's JSON")
    parser.add_argument("--boot", help="bench/boot/run_boot_bench.py's JSON")
    parser.add_argument("--sel4bench-tessera", metavar="FILE",
                        help="run_sel4bench.py's document for sel4bench on Tessera")
    parser.add_argument("--sel4bench-sel4", metavar="FILE",
                        help="run_sel4bench.py's document for sel4bench on seL4's kernel-bench.elf")
    parser.add_argument("--fs-linux", metavar="FILE",
                        help="bench/fs/linux/run_fs_linux_bench.py's JSON (the file-system "
                        "benchmarks beside Linux's ext2)")
    parser.add_argument("in_system", nargs="*", help="serial logs of the in-system suite")
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        if options.mode == "auto":
            mode, reason = bench_mode.choose()
        else:
            mode, reason = options.mode, "given by --mode"
        run = bench_lines.parse_files(options.in_system)
        linux = load_linux(options.linux)
        guest = load_optional(options.linux_guest, ("status", "results"),
                              "bench/linux/guest/run_linux_bench.py")
        boot = load_optional(options.boot, ("default_system", "rings"),
                             "bench/boot/run_boot_bench.py")
        filesystem = load_optional(options.fs_linux, ("status", "comparison"),
                                   "bench/fs/linux/run_fs_linux_bench.py")
        sel4bench = sel4bench_section(load_sel4bench(options.sel4bench_tessera),
                                      load_sel4bench(options.sel4bench_sel4))
    except (OSError, ValueError) as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    results = merge(run, linux, mode, reason, guest=guest, boot=boot, sel4bench=sel4bench,
                    filesystem=filesystem)
    os.makedirs(options.out_dir, exist_ok=True)
    json_path = os.path.join(options.out_dir, "results.json")
    markdown_path = os.path.join(options.out_dir, "results.md")
    with open(json_path, "w", encoding="utf-8") as file:
        json.dump(results, file, indent=2)
        file.write("\n")
    with open(markdown_path, "w", encoding="utf-8") as file:
        file.write(report_markdown.render(results))
    for warning in run.warnings:
        print(f"report: warning: {warning}", file=sys.stderr)
    print(f"report: {results['in_system']['note']}")
    print("\n".join(report_markdown.sel4bench_section(results)))
    print(f"report: wrote {json_path} and {markdown_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
