#!/usr/bin/env python3
"""Runs one in-system suite through scripts/launch.py and decides pass or fail from its serial output.

A suite passes only on its own summary line `N passed, 0 failed` (N >= 1) and a guest exit status
of 0. Anything else fails with one reason line and the last lines of serial output, so a CI log
says what went wrong without a rerun. Usage: run_suite.py [options] -- <launch.py arguments>.
"""

import argparse
import collections
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import launch  # noqa: E402  (for its exit codes: one definition of them)

# The suite's last word. One `word:` prefix is allowed so a component may tag its own summary.
SUMMARY = re.compile(r"^(?:[\w.-]+:\s*)?(\d+) passed, (\d+) failed\s*$")
PANIC = re.compile(r"KERNEL PANIC")

# Exit codes, one per verdict, so the harness's own self-test can check which rule fired.
Pass = 0
UsageError = 2
FailPanic = 10
FailTestsFailed = 11
FailTimeout = 12
FailGuestReset = 13
FailNoSummary = 14
FailExitStatus = 15
FailExpectMissing = 16
FailLaunch = 17
FailLineSeen = 18

PANIC_GRACE_SECONDS = 2.0   # after a panic, keep reading this long for the register dump
HARD_DEADLINE_MARGIN = 15.0  # the launcher enforces --timeout; this is only its backstop
TAIL_LINES = 40


def parse_arguments(argv):
    if "--" in argv:
        split = argv.index("--")
        argv, launch_args = argv[:split], argv[split + 1:]
    else:
        launch_args = []
    parser = argparse.ArgumentParser(
        prog="run_suite.py",
        description="Boot a suite with scripts/launch.py and check its serial output.",
        epilog="Everything after `--` goes to launch.py (--kernel, --root-task, --build, ...).")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="fail if the guest has not exited after this long (default: 60)")
    parser.add_argument("--expect", action="append", default=[], metavar="REGEX",
                        help="a line matching REGEX must appear (repeatable)")
    parser.add_argument("--no-summary", action="store_true",
                        help="do not require a summary line (checks rely on --expect)")
    parser.add_argument("--until-expected", action="store_true",
                        help="pass as soon as every --expect has matched and stop QEMU "
                        "(for guests that halt instead of exiting); implies --no-summary")
    parser.add_argument("--fail-on", action="append", default=[], metavar="REGEX",
                        help="a line matching REGEX fails the suite at once and stops QEMU "
                        "(a guest's own failure verdict when it cannot exit; repeatable)")
    parser.add_argument("--exit-status", type=int, default=0, metavar="N",
                        help="the guest exit status required (default: 0)")
    parser.add_argument("--allow-panic", action="store_true",
                        help="a KERNEL PANIC line is not a failure by itself")
    parser.add_argument("--launcher", default=os.path.join(REPO, "scripts", "launch.py"),
                        help="the launcher to run (default: scripts/launch.py)")
    options = parser.parse_args(argv)
    if options.until_expected:
        options.no_summary = True
        if not options.expect:
            parser.error("--until-expected needs at least one --expect")
    try:
        options.expect_patterns = [re.compile(pattern) for pattern in options.expect]
        options.fail_patterns = [re.compile(pattern) for pattern in options.fail_on]
    except re.error as error:
        parser.error(f"bad --expect regex: {error}")
    options.launch_args = launch_args
    return options


class SerialLog:
    """What the suite has said so far, reduced to the facts the verdict needs."""

    def __init__(self, expect_patterns, fail_patterns=()):
        self.tail = collections.deque(maxlen=TAIL_LINES)
        self.summaries = []            # (passed, failed) for each summary line, in order
        self.panic_line = None
        self.unmatched = list(expect_patterns)
        self.fail_patterns = list(fail_patterns)
        self.failure_line = None       # the first line matching a --fail-on pattern

    def add(self, line):
        self.tail.append(line)
        if self.panic_line is None and PANIC.search(line):
            self.panic_line = line
        match = SUMMARY.match(line)
        if match:
            self.summaries.append((int(match.group(1)), int(match.group(2))))
        self.unmatched = [p for p in self.unmatched if not p.search(line)]
        if self.failure_line is None and any(p.search(line) for p in self.fail_patterns):
            self.failure_line = line


def read_lines(stream, lines):
    """Thread body: one decoded line at a time into `lines`, then None at end of output.
    Carriage returns at either end go: guests that end lines with "\n\r" (sel4test) start the
    next one with a stray "\r", which would hide it from a `^` pattern."""
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode("utf-8", errors="replace").rstrip("\r\n").lstrip("\r"))
    lines.put(None)


def stop(process):
    """Ends the launcher, which kills its QEMU; if the launcher hangs, kills the whole session
    run_suite started for the two of them."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return process.wait()


def launcher_command(options):
    """The launcher's command line. The time limit goes first: launch arguments may end with
    `--` and QEMU's own options, and a --timeout among the launch arguments still wins. A suite
    gets no console input (so no end of input and no end at idle) unless its launch arguments
    give some with --input."""
    words = options.launch_args[:options.launch_args.index("--")] \
        if "--" in options.launch_args else options.launch_args
    has_input = any(word in ("--input", "--serial-input") or
                    word.startswith(("--input=", "--serial-input=")) for word in words)
    return [sys.executable, options.launcher, "--timeout", f"{options.timeout:g}",
            *([] if has_input else ["--input", "none"]), *options.launch_args]


def watch(options):
    """Runs the suite; returns (log, launcher status or None if stopped here, why it stopped)."""
    command = launcher_command(options)
    print("run_suite: " + " ".join(command), file=sys.stderr, flush=True)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               start_new_session=True)
    lines = queue.Queue()
    threading.Thread(target=read_lines, args=(process.stdout, lines), daemon=True).start()

    log = SerialLog(options.expect_patterns, options.fail_patterns)
    hard_deadline = time.monotonic() + options.timeout + HARD_DEADLINE_MARGIN
    panic_deadline = None
    while True:
        deadline = min(hard_deadline, panic_deadline or hard_deadline)
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            stop(process)
            return log, None, "panic" if panic_deadline else "deadline"
        if line is None:
            break
        print(line, flush=True)
        log.add(line)
        if log.panic_line is not None and panic_deadline is None and not options.allow_panic:
            panic_deadline = time.monotonic() + PANIC_GRACE_SECONDS
        if log.failure_line is not None:
            stop(process)
            return log, None, "failure line"
        if options.until_expected and not log.unmatched:
            stop(process)
            return log, None, "expected"
    try:
        status = process.wait(timeout=max(1.0, hard_deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        stop(process)
        return log, None, "deadline"
    return log, status, "exited"


def verdict(options, log, status, why):
    """Returns (exit code, one-line reason). The first broken rule, most telling first, wins."""
    if log.panic_line is not None and not options.allow_panic:
        return FailPanic, f"kernel panic: {log.panic_line.strip()}"
    if log.failure_line is not None:
        return FailLineSeen, f"failure line seen: {log.failure_line.strip()}"
    failing = [s for s in log.summaries if s[1] > 0]
    if failing:
        passed, failed = failing[-1]
        return FailTestsFailed, f"{failed} test(s) failed ({passed} passed)"
    if why == "expected":
        return Pass, "every expected line seen"
    if why == "deadline" or status == launch.ExitTimeout:
        return FailTimeout, f"timeout: the guest did not exit within {options.timeout:g} s"
    if status == launch.ExitGuestReset:
        return FailGuestReset, "guest reset (triple fault?)"
    if status in (launch.ExitLaunchError, launch.ExitQemuError):
        return FailLaunch, f"the launcher failed with status {status} (its message is above)"
    if log.unmatched:
        missing = ", ".join(repr(p.pattern) for p in log.unmatched)
        return FailExpectMissing, f"expected line(s) never seen: {missing}"
    if not options.no_summary:
        if not log.summaries:
            return FailNoSummary, "the guest exited without a `N passed, M failed` line"
        if log.summaries[-1][0] == 0:
            return FailNoSummary, "the summary reports no tests at all (0 passed, 0 failed)"
    if status != options.exit_status:
        return FailExitStatus, f"guest exit status {status}, expected {options.exit_status}"
    if log.summaries:
        return Pass, f"{log.summaries[-1][0]} passed, 0 failed, guest status {status}"
    return Pass, f"every expected line seen, guest status {status}"


def main(argv):
    options = parse_arguments(argv)
    log, status, why = watch(options)
    code, reason = verdict(options, log, status, why)
    if code == Pass:
        print(f"run_suite: PASS: {reason}", flush=True)
        return Pass
    print(f"run_suite: FAIL: {reason}")
    print(f"run_suite: last {len(log.tail)} line(s) of serial output:")
    for line in log.tail:
        print(f"  | {line}")
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
