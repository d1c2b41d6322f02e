#!/usr/bin/env python3
"""`make bench`'s Linux in the same units: boots Debian's kernel in the benchmarks' QEMU mode,
runs linux_primitives in it (and bench/posix's program, the one Tessera's POSIX personality runs,
with busybox beside it) and writes the figures, with the kernel's package and version, as JSON
for bench/report.py.

The JSON is written whatever happens (a kernel that cannot be fetched, a guest that fails):
"status" then says "failed" with the reason, and results.md shows it, so that one missing
baseline does not stop the report. Exits non-zero only when it cannot write its output.
"""

import argparse
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guest_lines  # noqa: E402
import linux_guest  # noqa: E402

PROGRAM = os.path.join(HERE, "programs", "linux_primitives.c")
BLOCK_PROGRAM = os.path.join(HERE, "programs", "block_pread.c")
# The POSIX personality's benchmark program, unchanged; it execs /bin/busybox true.
POSIX_PROGRAM = os.path.join(os.path.dirname(os.path.dirname(HERE)), "posix", "bench_posix.c")
BUSYBOX = "/bin/busybox"
# 4 KiB reads per timed loop of block_pread (its 1 MiB loops make a sixteenth as many).
BLOCK_READS = 1024


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--output", required=True, help="the JSON file to write")
    parser.add_argument("--iterations", type=int, default=10000)
    parser.add_argument("--loops", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--mode", choices=("icount", "kvm"), help="default: bench/mode.py's")
    parser.add_argument("--keep", help="directory for the guest's logs")
    parser.add_argument("--block-disk", help="a disk image for block_pread's O_DIRECT reads "
                        "(bench/block's, so that both systems read the same disk)")
    parser.add_argument("--busybox", default=BUSYBOX, help="the static busybox the POSIX "
                        "benchmarks exec (Debian's busybox-static, as on Tessera)")
    return parser.parse_args(argv)


def measure(options):
    harness = linux_guest.Harness(options.build)
    programs = [harness.compile("linux_primitives", [PROGRAM])]
    commands = [["/bin/linux_primitives", "--iterations", str(options.iterations),
                 "--loops", str(options.loops), "--warmup", str(options.warmup)]]
    disks, modules, files = [], (), {}
    posix_failure = None
    if os.path.isfile(options.busybox):
        programs.append(harness.compile("bench_posix", [POSIX_PROGRAM], libraries=(),
                                        bench_library=False))
        commands.append(["/bin/bench_posix"])
        with open(options.busybox, "rb") as file:
            files["/bin/busybox"] = file.read()
    else:
        posix_failure = {"name": "posix", "error": f"{options.busybox} not found "
                         "(busybox-static): the POSIX benchmarks were not run"}
    if options.block_disk:
        programs.append(harness.compile("block_pread", [BLOCK_PROGRAM]))
        commands.append(["/bin/block_pread", "--iterations", str(BLOCK_READS),
                         "--loops", str(options.loops), "--warmup", "64"])
        disks = [linux_guest.Disk(options.block_disk, read_only=True)]
        modules = linux_guest.VIRTIO_BLOCK_MODULES
    result = harness.run(commands, programs=programs, files=files, disks=disks,
                         modules=modules, mode=options.mode, timeout=options.timeout,
                         keep=options.keep)
    figures = guest_lines.parse(result.output)
    # Under icount one guest nanosecond is one instruction (-icount shift=0).
    unit = "instructions" if result.mode == "icount" else "ns"
    for figure in figures.results:
        figure["unit"] = unit
    posix, warnings = guest_lines.same_program_figures(result.output, "bench_posix")
    figures.warnings += warnings
    figures.results += ticks_in_unit(posix, result.mode, figures.tsc_per_ns, figures.warnings)
    if posix_failure:
        figures.failures.append(posix_failure)
    document = {
        "status": "complete" if result.ok and not figures.failures else "failed",
        "mode": result.mode,
        "unit": unit,
        "kernel": result.kernel,
        "kernel_command_line": linux_guest.BASE_APPEND,
        "clocksource": figures.clocksource,
        "tsc_per_ns": figures.tsc_per_ns,
        "iterations": options.iterations, "loops": options.loops, "warmup": options.warmup,
        "results": figures.results, "failures": figures.failures, "warnings": figures.warnings,
    }
    if not result.ok:
        try:
            result.check()
        except linux_guest.GuestError as error:
            document["error"] = str(error)
    return document


def ticks_in_unit(entries, mode, tsc_per_ns, warnings):
    """TSC-timed entries in the guest's unit: under icount the TSC counts instructions; under
    kvm ticks become ns by the guest's own TSC rate, and without one they are left out."""
    if mode == "icount":
        return [dict(entry, unit="instructions") for entry in entries]
    if not tsc_per_ns:
        if entries:
            warnings.append("the guest printed no TSC rate: TSC-timed figures left out")
        return []
    scaled = []
    for entry in entries:
        scaled.append(dict(entry, unit="ns", **{key: entry[key] / tsc_per_ns
                                                for key in ("min", "median", "max")}))
    return scaled


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        document = measure(options)
    except linux_guest.GuestError as error:
        document = {"status": "failed", "error": str(error), "results": [], "failures": []}
    document["date"] = started
    os.makedirs(os.path.dirname(os.path.abspath(options.output)), exist_ok=True)
    with open(options.output, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
    kernel = document.get("kernel") or {}
    print(f"run_linux_bench: {document['status']}, {len(document['results'])} results, "
          f"{kernel.get('package', 'no kernel')} {kernel.get('version', '')}: {options.output}")
    if document.get("error"):
        print(f"run_linux_bench: {document['error']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
