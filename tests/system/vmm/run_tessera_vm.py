#!/usr/bin/env python3
"""Runs `tessera vm ...` and checks its exit status and that each --expect regex matches a line
of its output (the system's and the guest's console). Usage:
run_tessera_vm.py --status N [--expect REGEX]... [--input TEXT] -- TESSERA_VM_COMMAND...
With --input, TEXT and a newline are the command's standard input (the guest's console).
"""

import argparse
import re
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--status", type=int, required=True)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--input")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    if options.input is None:
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, check=False)
    else:
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             input=(options.input + "\n").encode(), check=False)
    output = run.stdout.decode(errors="replace")
    lines = output.splitlines()
    failures = []
    if run.returncode != options.status:
        failures.append(f"exit status {run.returncode}, expected {options.status}")
    for regex in options.expect:
        if not any(re.search(regex, line) for line in lines):
            failures.append(f"no line matches {regex!r}")
    sys.stdout.write("\n".join(lines[-40:]) + "\n")
    for failure in failures:
        print(f"run_tessera_vm: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
