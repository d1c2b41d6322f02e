#!/usr/bin/env python3
"""The launcher's console and exit contract (docs/booting.md), end to end with stand-in guests.

- input reaches COM1 byte for byte and its end arrives as 0x04; output comes back byte for byte
  (the `echo` guest writes back what it receives);
- off a terminal, a run on Tessera ends once input has ended and the system is idle (the `idle`
  guest prints Tessera's idle line) and has stayed quiet for --idle-quiet seconds (0.3 unless
  set), but not while input is still open, nor with --input none;
- SIGTERM, SIGINT and SIGHUP stop QEMU and the launcher promptly, leaving no QEMU behind;
- --remove deletes its file however the run ends.
Usage: check_console.py <launch.py> <folder of guest_*.elf> <root task>
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

ExitTimeout = 124


class Checks:
    def __init__(self):
        self.failed = 0

    def expect(self, name, ok, detail=""):
        print(f"check_console.{name}: {'pass' if ok else 'FAIL'}{'' if ok else ': ' + detail}",
              flush=True)
        self.failed += 0 if ok else 1


def launch(launcher, kernel, root_task, *extra):
    return [sys.executable, launcher, "--kernel", kernel, "--root-task", root_task, *extra]


def qemu_children(pid):
    """The pids of a process's children (QEMU, for the launcher)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as file:
            return [int(word) for word in file.read().split()]
    except OSError:
        return []


def is_gone(pid):
    """True once the process no longer exists (a zombie still does)."""
    return not os.path.exists(f"/proc/{pid}")


def wait_for_line(process, text, seconds):
    """Reads the process's stdout until a line holds `text`; the lines read."""
    deadline = time.monotonic() + seconds
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            break
    return lines


def check_echo(checks, launcher, guests, root_task):
    sent = b"hello\x00\xff\xfe world\r\nsecond line\t\x1b[0m\n"
    started = time.monotonic()
    result = subprocess.run(launch(launcher, f"{guests}/guest_echo.elf", root_task, "--timeout", "60"),
                            input=sent, capture_output=True, check=False)
    checks.expect("echo.exit_status_0", result.returncode == 0, f"status {result.returncode}")
    expected = b"echo: ready\n" + sent + b"\necho: end of input\n"
    checks.expect("echo.output_is_the_input_byte_for_byte", result.stdout == expected,
                  f"got {result.stdout!r}, expected {expected!r}")
    checks.expect("echo.well_before_the_time_limit", time.monotonic() - started < 30)


def check_input_file(checks, launcher, guests, root_task):
    with tempfile.NamedTemporaryFile() as source:
        source.write(b"from a file\n")
        source.flush()
        result = subprocess.run(launch(launcher, f"{guests}/guest_echo.elf", root_task, "--timeout",
                                       "60", "--input", source.name),
                                stdin=subprocess.DEVNULL, capture_output=True, check=False)
    checks.expect("input_file.reaches_the_guest",
                  result.returncode == 0 and result.stdout == b"echo: ready\nfrom a file\n\necho: end of input\n",
                  f"status {result.returncode}, output {result.stdout!r}")


def check_idle(checks, launcher, guests, root_task):
    kernel = f"{guests}/guest_idle.elf"
    started = time.monotonic()
    result = subprocess.run(launch(launcher, kernel, root_task, "--timeout", "60"),
                            stdin=subprocess.DEVNULL, capture_output=True, check=False)
    checks.expect("idle.ends_once_input_has_ended", result.returncode == 0 and
                  b"the system is idle and its input has ended" in result.stderr,
                  f"status {result.returncode}, stderr {result.stderr[-300:]!r}")
    checks.expect("idle.promptly", time.monotonic() - started < 30)

    result = subprocess.run(launch(launcher, kernel, root_task, "--timeout", "3", "--input", "none"),
                            stdin=subprocess.DEVNULL, capture_output=True, check=False)
    checks.expect("idle.input_none_never_ends", result.returncode == ExitTimeout,
                  f"status {result.returncode}")

    # --idle-quiet sets how long the idle system must stay quiet: a longer period delays the end
    # by that much, and one longer than the time limit leaves the end to the limit.
    started = time.monotonic()
    result = subprocess.run(launch(launcher, kernel, root_task, "--timeout", "60",
                                   "--idle-quiet", "4"),
                            stdin=subprocess.DEVNULL, capture_output=True, check=False)
    elapsed = time.monotonic() - started
    checks.expect("idle.quiet_period_is_settable", result.returncode == 0 and elapsed >= 4 and
                  b"the system is idle and its input has ended" in result.stderr,
                  f"status {result.returncode} after {elapsed:.1f} s")
    result = subprocess.run(launch(launcher, kernel, root_task, "--timeout", "4",
                                   "--idle-quiet", "600"),
                            stdin=subprocess.DEVNULL, capture_output=True, check=False)
    checks.expect("idle.quiet_period_longer_than_the_limit_waits_for_it",
                  result.returncode == ExitTimeout, f"status {result.returncode}")

    # Input still open: idle alone does not end the run.
    process = subprocess.Popen(launch(launcher, kernel, root_task, "--timeout", "4"),
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    status = process.wait(timeout=60)
    process.stdin.close()
    checks.expect("idle.open_input_waits_for_the_time_limit", status == ExitTimeout,
                  f"status {status}")


def check_signal(checks, launcher, guests, root_task, signum):
    name = signal.Signals(signum).name.lower()
    with tempfile.NamedTemporaryFile(delete=False) as temporary:
        doomed = temporary.name
    process = subprocess.Popen(launch(launcher, f"{guests}/guest_hang.elf", root_task, "--remove", doomed),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    lines = wait_for_line(process, "harness.boot ok", 30)
    qemu = qemu_children(process.pid)
    checks.expect(f"{name}.guest_was_running", bool(lines) and len(qemu) == 1, f"children {qemu}")
    started = time.monotonic()
    process.send_signal(signum)
    try:
        status = process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        status = process.wait()
        checks.expect(f"{name}.launcher_ends_promptly", False, "still running 20 s after the signal")
        return
    checks.expect(f"{name}.launcher_ends_promptly", time.monotonic() - started < 10)
    checks.expect(f"{name}.exit_status_128_plus_signal", status == 128 + signum, f"status {status}")
    checks.expect(f"{name}.no_qemu_left", all(is_gone(pid) for pid in qemu),
                  f"QEMU {qemu} still exists")
    checks.expect(f"{name}.temporary_file_removed", not os.path.exists(doomed))
    if os.path.exists(doomed):
        os.unlink(doomed)
    process.stdin.close()
    process.stdout.close()


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    launcher, guests, root_task = argv
    checks = Checks()
    check_echo(checks, launcher, guests, root_task)
    check_input_file(checks, launcher, guests, root_task)
    check_idle(checks, launcher, guests, root_task)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        check_signal(checks, launcher, guests, root_task, signum)
    print(f"check_console: {'OK' if checks.failed == 0 else f'{checks.failed} failed'}")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
