#!/usr/bin/env python3
"""The POSIX server as a protection domain (systems/posix.system, docs/posix.md): the system image
boots, the server PD runs the command line of its description (posix_command_line), and the
framed output (standard output and error) and the exit status must be those of the same command
run by `tessera linux` with the root-task server; the guest's exit status (QEMU's exit device)
must be the command's too. Prints one line per check and the `N passed, M failed` line."""
import argparse
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

FRAME = re.compile(rb"\x1e([0-9X])(?: ?)([^\r\n]*)")


def command_line(system):
    """The posix_command_line setvar of the server's PD."""
    for setvar in ElementTree.parse(system).getroot().iter("setvar"):
        if setvar.get("symbol") == "posix_command_line":
            return setvar.get("string")
    raise SystemExit(f"{system}: no posix_command_line setvar")


def decode(serial):
    """Standard output, standard error and the X frame's status (None without one)."""
    streams = {b"1": bytearray(), b"2": bytearray()}
    status = None
    for match in FRAME.finditer(serial):
        kind, rest = match.group(1), match.group(2).strip()
        if kind == b"X":
            status = int(rest)
        elif kind in streams:
            streams[kind] += bytes.fromhex(rest.decode())
    return bytes(streams[b"1"]), bytes(streams[b"2"]), status


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", required=True, help="the tessera tool")
    parser.add_argument("--system", required=True, help="systems/posix.system")
    parser.add_argument("--image", required=True, help="the system's image (tessera build)")
    parser.add_argument("--launch", required=True, help="scripts/launch.py")
    parser.add_argument("--build", required=True, help="the build directory")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--timeout", type=int, default=200)
    options = parser.parse_args()

    words = shlex.split(command_line(options.system))
    expected = subprocess.run([options.tool, "linux", "--timeout", str(options.timeout), "--", *words],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=options.timeout + 60, check=False)
    booted = subprocess.run([sys.executable, options.launch, "--build", options.build,
                             "--kernel", options.kernel, "--root-task", options.image,
                             "--timeout", str(options.timeout)],
                            capture_output=True, timeout=options.timeout + 60, check=False)
    stdout, stderr, status = decode(booted.stdout)
    guest = re.search(rb"launch: guest exited with status (\d+)", booted.stdout + booted.stderr)
    checks = [
        ("the command ran (a status frame)", status is not None),
        ("root-task run has output", len(expected.stdout) > 0),
        ("standard output as the root task's", stdout == expected.stdout),
        ("standard error as the root task's", stderr == expected.stderr),
        ("status as the root task's", status == expected.returncode),
        ("the guest exits with the status", guest is not None and int(guest.group(1)) == status),
        ("the PD's start-up printed no failure", b"posix: cannot start" not in booted.stdout
         and b"posix: no clock" not in booted.stdout),
    ]
    failed = 0
    for name, ok in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
        failed += 0 if ok else 1
    if failed:
        print(f"root task: status {expected.returncode}, stdout {expected.stdout!r}, "
              f"stderr {expected.stderr!r}")
        print(f"PD: status {status}, stdout {stdout!r}, stderr {stderr!r}")
        print(booted.stdout.decode(errors="replace")[-3000:])
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
