#!/usr/bin/env python3
"""Boots the `devices` stand-in guest through launch.py and checks what the guest received.

The guest prints its Multiboot command line and modules on COM1 and writes one line to COM2, so
this checks the launcher end to end: the root task is the first module, --module files follow in
order, --append reaches the kernel, COM1 and COM2 are the right ports and --com2 FILE works.
Usage: check_devices.py <launch.py> <guest_devices.elf> <root task> <module>...
"""

import os
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    launcher, kernel, root_task, modules = argv[0], argv[1], argv[2], argv[3:]
    with tempfile.TemporaryDirectory() as scratch:
        com2 = os.path.join(scratch, "com2.txt")
        command = [sys.executable, launcher, "--kernel", kernel, "--root-task", root_task,
                   "--append", "harness=1 twice", "--com2", com2, "--timeout", "30"]
        for module in modules:
            command += ["--module", module]
        result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        with open(com2, encoding="utf-8", errors="replace") as file:
            com2_text = file.read()

    serial = result.stdout.splitlines()
    print("\n".join(serial))
    expected = ["harness.boot ok",
                f"cmdline: {kernel} harness=1 twice",
                f"modules: {1 + len(modules)}",
                *(f"module: {path}" for path in [root_task, *modules]),
                "1 passed, 0 failed"]
    problems = []
    if result.returncode != 0:
        problems.append(f"launch.py exited {result.returncode}, expected 0")
    if serial != expected:
        problems.append("COM1 differs; expected:\n  " + "\n  ".join(expected))
    if com2_text != "com2 hello\n":
        problems.append(f"COM2 file holds {com2_text!r}, expected 'com2 hello\\n'")
    for problem in problems:
        print(f"check_devices: {problem}")
    if problems:
        return 1
    print("check_devices: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
