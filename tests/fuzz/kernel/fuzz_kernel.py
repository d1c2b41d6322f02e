#!/usr/bin/env python3
"""Runs the in-system kernel fuzzer for longer than `make test` does (make fuzz-kernel).

Writes the run's parameters into a copy of the fuzzer's image (the `config` record after its
magic string), boots it with scripts/launch.py, echoes the serial output (and keeps it in a log),
and judges the run on the fuzzer's `N passed, M failed` line. Prints the invocations per second,
measured on the host's clock from boot to summary.
Usage: fuzz_kernel.py --build DIR [--seeds N] [--start SEED] [--invocations N] [--batch N] [--trace]
"""

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MAGIC = b"TESSERA-FUZZCFG\0"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed\s*$")
HUNG = re.compile(r"tessera: no runnable thread|thread 'rootserver' faulted")
TOTAL = re.compile(r"^fuzz: (\d+) invocations in total")


def patch_config(image, start, seeds, invocations, batch, trace):
    """Returns the image with the config record after MAGIC replaced; exactly one must exist."""
    at = image.find(MAGIC)
    if at < 0 or image.find(MAGIC, at + 1) >= 0:
        raise SystemExit("fuzz_kernel: the fuzzer image has no single config record")
    record = struct.pack("<5Q", start, seeds, invocations, batch, 1 if trace else 0)
    offset = at + len(MAGIC)
    return image[:offset] + record + image[offset + len(record):]


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="the CMake build directory")
    parser.add_argument("--seeds", type=int, default=10, help="how many seeds (default 10)")
    parser.add_argument("--start", type=int, default=1, help="the first seed (default 1)")
    parser.add_argument("--invocations", type=int, default=100000,
                        help="invocations per seed, workers' included (default 100000)")
    parser.add_argument("--batch", type=int, default=200,
                        help="control operations between invariant checks (default 200)")
    parser.add_argument("--trace", action="store_true", help="print every control operation")
    parser.add_argument("--fuzzer", help="the fuzzer image (default: BUILD/tests/fuzz/kernel/kernel_fuzzer.elf)")
    parser.add_argument("--kernel", help="the kernel image (default: launch.py's, from BUILD)")
    parser.add_argument("--log", help="also write the serial output here")
    parser.add_argument("--timeout", type=float,
                        help="seconds before the run counts as hung (default: from the work asked)")
    options = parser.parse_args(argv)
    for name in ("seeds", "invocations", "batch"):
        if getattr(options, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if options.start < 0:
        parser.error("--start must not be negative")
    return options


def main(argv):
    options = parse_arguments(argv)
    fuzzer = options.fuzzer or os.path.join(options.build, "tests", "fuzz", "kernel", "kernel_fuzzer.elf")
    if not os.path.exists(fuzzer):
        raise SystemExit(f"fuzz_kernel: {fuzzer} not found; build first (make build)")
    with open(fuzzer, "rb") as f:
        image = patch_config(f.read(), options.start, options.seeds, options.invocations,
                             options.batch, options.trace)
    # Under TCG the fuzzer does a few thousand invocations a second; leave a wide margin.
    timeout = options.timeout or 120 + options.seeds * options.invocations / 1000
    with tempfile.TemporaryDirectory() as scratch:
        root_task = os.path.join(scratch, "kernel_fuzzer.elf")
        with open(root_task, "wb") as f:
            f.write(image)
        command = [sys.executable, os.path.join(REPO, "scripts", "launch.py"), "--build", options.build,
                   "--root-task", root_task, "--timeout", str(timeout)]
        if options.kernel:
            command += ["--kernel", options.kernel]
        log = open(options.log, "w") if options.log else None
        started = time.monotonic()
        summary = total = None
        panic = hung = False
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              errors="replace") as guest:
            for line in guest.stdout:
                sys.stdout.write(line)
                if log:
                    log.write(line)
                    log.flush()
                text = line.strip()
                panic = panic or "KERNEL PANIC" in text
                if HUNG.search(text):
                    # The control thread never blocks: nothing runnable means it faulted or hung.
                    hung = True
                    guest.terminate()
                    break
                if TOTAL.match(text):
                    total = int(TOTAL.match(text).group(1))
                if SUMMARY.match(text):
                    summary = SUMMARY.match(text)
            status = guest.wait()
        elapsed = time.monotonic() - started
        if log:
            log.close()
    if total is not None:
        print(f"fuzz_kernel: {total} invocations in {elapsed:.1f} s: {total / elapsed:.0f} invocations/s "
              f"(seeds {options.start}..{options.start + options.seeds - 1})")
    if panic:
        print("fuzz_kernel: FAIL: kernel panic (rerun the last seed printed with --seeds 1 --trace)")
        return 1
    if hung:
        print("fuzz_kernel: FAIL: the control thread faulted or blocked (rerun the last seed printed with "
              "--seeds 1 --trace)")
        return 1
    if summary is None:
        print(f"fuzz_kernel: FAIL: no summary line (guest exit status {status}; a hang or a fault of the "
              "control thread: rerun the last seed printed with --seeds 1 --trace)")
        return 1
    if int(summary.group(2)) != 0 or status != 0:
        print(f"fuzz_kernel: FAIL ({summary.group(0)}, exit status {status})")
        return 1
    print("fuzz_kernel: pass")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
