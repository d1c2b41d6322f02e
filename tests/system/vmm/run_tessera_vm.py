#!/usr/bin/env python3
"""Runs `tessera vm ...` and checks its exit status and that each --expect regex matches a line
of its output (the system's and the guest's console). Usage:
run_tessera_vm.py --status N [--expect REGEX]... [--input TEXT]
                  [--debian-kernel BUILD [--kernel FILE] [--truncate BYTES]] -- TESSERA_VM_COMMAND...
With --input, TEXT and a newline are the command's standard input (the guest's console).

With --debian-kernel, the argument GUEST_KERNEL in the command becomes Debian's kernel: FILE when
given (a configured TESSERA_GUEST_KERNEL), else the one bench/linux/guest/kernel_package.py
obtains (apt-get download of what linux-image-amd64 stands for, cached under
BUILD/linux-guest/kernel and shared with the Linux-guest benchmarks; the cached one when the
archive cannot be reached). With no kernel to be had the test is skipped (status 77, ctest's
SKIP_RETURN_CODE) with the reason. --truncate cuts the kernel to its first BYTES first.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bench", "linux", "guest"))
import kernel_package  # noqa: E402

SKIPPED = 77
KERNEL_ARGUMENT = "GUEST_KERNEL"


def debian_kernel(build, configured):
    """The vmlinuz to boot, or None after saying why there is none."""
    if configured:
        return configured
    cache = os.path.join(os.path.abspath(build), "linux-guest", "kernel")
    os.makedirs(cache, exist_ok=True)
    try:
        kernel = kernel_package.obtain(cache, log=lambda m: print(f"run_tessera_vm: {m}"))
    except kernel_package.KernelPackageError as error:
        print(f"run_tessera_vm: skipped: no Debian kernel to boot: {error}")
        return None
    print(f"run_tessera_vm: Debian's {kernel.package} {kernel.version}")
    return kernel.vmlinuz


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--status", type=int, required=True)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--input")
    parser.add_argument("--debian-kernel", metavar="BUILD")
    parser.add_argument("--kernel", default="")
    parser.add_argument("--truncate", type=int)
    parser.add_argument("--kernel-env", metavar="NAME",
                        help="also give the command the kernel's path in this environment variable")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    with tempfile.TemporaryDirectory() as scratch:
        if options.debian_kernel is not None:
            kernel = debian_kernel(options.debian_kernel, options.kernel)
            if kernel is None:
                return SKIPPED
            if options.truncate is not None:
                cut = os.path.join(scratch, "truncated-bzImage")
                with open(kernel, "rb") as source, open(cut, "wb") as target:
                    target.write(source.read(options.truncate))
                kernel = cut
            command = [kernel if word == KERNEL_ARGUMENT else word for word in command]
            if options.kernel_env:
                os.environ[options.kernel_env] = kernel
        return run(command, options)


def run(command, options):
    if options.input is None:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, check=False)
    else:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             input=(options.input + "\n").encode(), check=False)
    output = result.stdout.decode(errors="replace")
    lines = output.splitlines()
    failures = []
    if result.returncode != options.status:
        failures.append(f"exit status {result.returncode}, expected {options.status}")
    for regex in options.expect:
        if not any(re.search(regex, line) for line in lines):
            failures.append(f"no line matches {regex!r}")
    sys.stdout.write("\n".join(lines[-40:]) + "\n")
    for failure in failures:
        print(f"run_tessera_vm: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
