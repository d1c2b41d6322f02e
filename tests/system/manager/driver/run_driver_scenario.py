#!/usr/bin/env python3
"""The seed's driver scenario (systems/dynamic_driver.system): a shell script streams writes and
reads through the ext2 service while the virtio-blk driver, a child protection domain of the
dynamic manager, faults with requests on the device (its first run only) and is restarted by the
manager, resetting its device. Passes when

- the driver started exactly twice (its start line, printed by each init) and the block
  virtualiser sent the lost requests again (its `the driver restarted: N requests sent again`
  line, N >= 1): the fault really happened with requests in flight;
- the shell's transcript, with those components' lines taken out, equals EXPECTED (every write
  landed once, every read returns what was written, `manager status` shows one restart);
- the run ends with status 0 and `e2fsck -fn` finds the disk clean.

Usage: run_driver_scenario.py --tessera T --system S --disk-from IMAGE [--kernel K --pad-input N]
       SCRIPT EXPECTED
(--kernel: boot another kernel, seL4's, with N empty lines ahead of the script: seL4 may lose the
first bytes typed on COM1.)
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "fs", "shell"))
import run_shell_script  # noqa: E402  (transcript_of, compare, check_clean)

DRIVER_START = re.compile(r"virtio_blk: virtio-blk [0-9a-f:.]+: \d+ blocks of 4 KiB[^\n]*\n")
RESENT = re.compile(r"blk_virt: the driver restarted: (\d+) requests sent again so far\n")
# The manager's reset of a device it gives a process child (docs/dynamic.md, "Devices").
DEVICE_RESET = re.compile(r"manager: device (\S+) \(virtio\) reset from status 0x([0-9a-f]{2}) "
                          r"for (\S+)\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tessera", required=True)
    parser.add_argument("--system", required=True)
    parser.add_argument("--disk-from", required=True)
    parser.add_argument("--timeout", type=int, default=150)
    parser.add_argument("--kernel", help="the kernel to boot instead of Tessera's")
    parser.add_argument("--pad-input", type=int, default=0, metavar="N")
    parser.add_argument("--device-reset", metavar="DEVICE",
                        help="the manager resets DEVICE before each driver start, at the restart "
                             "from what the faulted driver left running (DRIVER_OK)")
    parser.add_argument("script")
    parser.add_argument("expected")
    options = parser.parse_args()

    failures = []
    with tempfile.TemporaryDirectory(prefix="driver-scenario-") as directory:
        disk = os.path.join(directory, "disk.img")
        shutil.copyfile(options.disk_from, disk)
        with open(options.script, "rb") as script:
            text = b"\n" * options.pad_input + script.read()
        kernel = ["--kernel", options.kernel] if options.kernel else []
        run = subprocess.run([options.tessera, "run", options.system, "--timeout",
                              str(options.timeout), "--disk", disk, *kernel], input=text,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        output = run.stdout.decode("utf-8", errors="replace").replace("\r", "")
        if run.returncode != 0:
            failures.append(f"the run ended with status {run.returncode}, not 0")
        starts = DRIVER_START.findall(output)
        if len(starts) != 2:
            failures.append(f"the driver started {len(starts)} times, not twice (boot, restart)")
        resent = [int(n) for n in RESENT.findall(output)]
        if len(resent) != 1 or resent[0] < 1:
            failures.append(f"the virtualiser's resend reports are {resent}, not one with N >= 1")
        resets = [(device, int(status, 16), child) for device, status, child in DEVICE_RESET.findall(output)]
        if options.device_reset:
            # Each driver instance starts after a reset: reset, start, reset, start. The restart's
            # reset finds what the faulted instance left running (DRIVER_OK, 0x04); the boot's
            # finds whatever the firmware left (SeaBIOS drives virtio-blk disks itself).
            events = sorted([(m.start(), "reset") for m in DEVICE_RESET.finditer(output)] +
                            [(m.start(), "start") for m in DRIVER_START.finditer(output)])
            order = [kind for _, kind in events]
            statuses = [status for device, status, child in resets
                        if device == options.device_reset and child == "driver"]
            if (order != ["reset", "start", "reset", "start"] or len(statuses) != 2 or
                    not statuses[1] & 0x04):
                failures.append(f"the manager's device resets are {resets} in the order {order}, not "
                                f"one of {options.device_reset} for driver before each start, the "
                                "restart's from a running device (DRIVER_OK)")
        elif resets:
            failures.append(f"the manager reset devices {resets}; this system gives it none")
        # Those components print on the console between the shell's prompt and its output.
        shell_only = DEVICE_RESET.sub("", RESENT.sub("", DRIVER_START.sub("", output)))
        transcript = run_shell_script.transcript_of(shell_only)
        with open(options.expected, encoding="utf-8") as file:
            expected = file.read()
        if expected.endswith("\n"):
            expected = expected[:-1]
        if transcript is None:
            failures.append("no shell prompt in the output")
        else:
            difference = run_shell_script.compare(expected, transcript)
            if difference is not None:
                failures.append("the transcript differs:\n" + difference)
        problem = run_shell_script.check_clean(disk)
        if problem:
            failures.append(problem)
        if failures:
            sys.stdout.write(output)
            sys.stderr.write(run.stderr.decode("utf-8", errors="replace"))
    for failure in failures:
        print(f"driver scenario: {failure}")
    if not failures:
        reset = f"; device {options.device_reset} reset before both starts" if options.device_reset else ""
        print(f"driver scenario: the driver faulted and was restarted; {resent[0]} requests sent "
              f"again{reset}; the transcript matches; e2fsck -fn: clean")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
