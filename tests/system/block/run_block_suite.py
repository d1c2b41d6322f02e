#!/usr/bin/env python3
"""Runs one block suite: makes a fresh disk image, boots the suite with it attached
(tests/system/run_suite.py, scripts/launch.py --disk), then checks the image on the host.

Usage: run_block_suite.py --image PATH [--table gpt|mbr|corrupt-gpt] [--disk-flags ,ro|,blkdebug=F]
           [--check LABEL:PARTITION[:BLOCKS]]... -- RUN_SUITE_ARGUMENTS -- LAUNCH_ARGUMENTS
The check runs only when the suite passed; it is skipped with --no-check.
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_SUITE = os.path.join(HERE, "..", "run_suite.py")
MAKE_DISK = os.path.join(HERE, "make_disk.py")


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("run_block_suite.py: expected -- RUN_SUITE_ARGUMENTS")
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--table", default="gpt")
    parser.add_argument("--disk-flags", default="")
    parser.add_argument("--check", action="append", default=[])
    parser.add_argument("--no-check", action="store_true")
    options = parser.parse_args(argv[:split])
    rest = argv[split + 1:]
    subprocess.run([sys.executable, MAKE_DISK, options.image, "--table", options.table], check=True)
    # The disk goes to the launcher: after run_suite's own `--`.
    if "--" in rest:
        at = rest.index("--") + 1
        rest = rest[:at] + ["--disk", options.image + options.disk_flags] + rest[at:]
    else:
        rest += ["--", "--disk", options.image + options.disk_flags]
    status = subprocess.run([sys.executable, RUN_SUITE, *rest]).returncode
    if status != 0 or options.no_check:
        return status
    return subprocess.run([sys.executable, MAKE_DISK, options.image, "--check", *options.check]).returncode


if __name__ == "__main__":
    sys.exit(main())
