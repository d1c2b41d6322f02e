#!/usr/bin/env python3
"""`tessera boot` as a launcher for run_suite.py: `tessera_boot.py [--timeout S] --tool TESSERA
--image IMAGE`. The tool finds the kernel the Microkit tool wrote beside IMAGE (sel4_32.elf) and
hands both to scripts/launch.py; the system ends QEMU once every PD waits (--exit-on-idle)."""

import argparse
import os

parser = argparse.ArgumentParser()
parser.add_argument("--timeout", type=float, default=60)
parser.add_argument("--tool", required=True)
parser.add_argument("--image", required=True)
parser.add_argument("--input", default=None)  # run_suite.py's console input, for the launcher
options = parser.parse_args()
os.execv(options.tool, [options.tool, "boot", options.image, "--exit-on-idle",
                        "--timeout", f"{options.timeout:g}",
                        *([f"--launch-arg=--input={options.input}"] if options.input else [])])
