#!/usr/bin/env python3
"""Boots the in-system benchmark suite for `make bench` and keeps its serial output as a log.

The mode (kvm or icount) is bench/mode.py's, so the log's ticks mean what results.json says
they mean. The log is written whatever happens to the guest: report.py then marks a run without
its BENCH-END line incomplete, so a crash shows in results.md instead of stopping the report.
Exits non-zero only when the suite could not be booted at all (no log to report on).
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import bench_lines  # noqa: E402
import mode as bench_mode  # noqa: E402

LAUNCH = os.path.join(REPO, "scripts", "launch.py")
# launch.py's own outcomes (docs/booting.md): below these the status is the guest's.
LAUNCH_ERROR, QEMU_ERROR, TIMEOUT = 120, 121, 124


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True, help="build directory (holds kernel/)")
    parser.add_argument("--root-task", required=True, help="the benchmark suite's ELF")
    parser.add_argument("--log", required=True, help="where the serial output goes")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before QEMU is stopped")
    parser.add_argument("--append", help="kernel command line (a Microkit system passes exit_on_idle)")
    parser.add_argument("--disk", action="append", default=[],
                        help="IMAGE[,ro]: a virtio-blk disk for the launcher (repeatable)")
    parser.add_argument("--launcher", default=LAUNCH, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def launch_command(options, mode):
    return [sys.executable, options.launcher, "--build", options.build,
            "--root-task", options.root_task, "--serial-file", options.log,
            "--timeout", str(options.timeout)] + bench_mode.launch_arguments(mode) + \
        (["--append", options.append] if options.append else []) + \
        [argument for disk in options.disk for argument in ("--disk", disk)]


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        mode, reason = bench_mode.choose()
    except ValueError as error:
        print(f"run_in_system: {error}", file=sys.stderr)
        return 2
    os.makedirs(os.path.dirname(os.path.abspath(options.log)), exist_ok=True)
    if os.path.exists(options.log):
        os.remove(options.log)  # a stale log must never pass for this run's
    print(f"run_in_system: mode {mode} ({reason}); serial output to {options.log}", flush=True)
    status = subprocess.call(launch_command(options, mode))
    if status in (LAUNCH_ERROR, QEMU_ERROR) or not os.path.exists(options.log):
        print(f"run_in_system: the suite could not be booted (launcher status {status})",
              file=sys.stderr)
        return 1
    run = bench_lines.parse_files([options.log])
    outcome = "timed out" if status == TIMEOUT else f"guest exit status {status}"
    print(f"run_in_system: {outcome}; {len(run.results)} results, run {run.status()}")
    for warning in run.warnings:
        print(f"run_in_system: warning: {warning}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
