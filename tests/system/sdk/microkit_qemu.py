#!/usr/bin/env python3
"""Boots a Microkit image with the QEMU command of Microkit's manual for x86_64_generic, as a
launcher for run_suite.py: `microkit_qemu.py [--timeout S] --kernel sel4_32.elf --image IMAGE`.
The system never exits QEMU itself, so run_suite.py stops it (--until-expected)."""

import argparse
import os

parser = argparse.ArgumentParser()
parser.add_argument("--timeout", type=float, default=0)  # run_suite.py stops QEMU itself
parser.add_argument("--kernel", required=True)
parser.add_argument("--image", required=True)
parser.add_argument("--input", default=None)  # run_suite.py's console input: QEMU reads stdin
options = parser.parse_args()
os.execvp("qemu-system-x86_64", [
    "qemu-system-x86_64", "-cpu", "qemu64,+fsgsbase,+pdpe1gb,+xsaveopt,+xsave", "-m", "1G",
    "-display", "none", "-serial", "mon:stdio", "-kernel", options.kernel, "-initrd", options.image])
