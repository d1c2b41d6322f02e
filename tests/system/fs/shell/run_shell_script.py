#!/usr/bin/env python3
"""Runs a shell script through `tessera run SYSTEM < SCRIPT`, as a user would, and compares the
shell's transcript with the expected one.

The transcript is the console output from the shell's first prompt (a line starting with "$ ")
to the end, with carriage returns removed (the kernel's console writes "\\r\\n") and the
debug console's power-off line (`tessera: halted by seL4_DebugHalt`) taken off its end. Anything
else in between, a kernel or loader line included, is a difference. In the expected file a line
may hold `{*}`, which matches any text (times); the file's last newline is not part of the
transcript (the shell's last output is a prompt). The run must end with status 0 (halt).
"""

import argparse
import difflib
import re
import subprocess
import sys

POWER_OFF_LINE = "tessera: halted by seL4_DebugHalt\n"


def transcript_of(output):
    text = output.replace("\r", "")
    start = text.find("\n$ ")
    if start < 0:
        return None
    text = text[start + 1:]
    if text.endswith(POWER_OFF_LINE):
        text = text[: -len(POWER_OFF_LINE)]
    return text


def line_matches(expected, actual):
    if "{*}" not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(piece) for piece in expected.split("{*}"))
    return re.fullmatch(pattern, actual) is not None


def compare(expected, actual):
    """None when they match, else a unified diff."""
    expected_lines = expected.split("\n")
    actual_lines = actual.split("\n")
    if len(expected_lines) == len(actual_lines) and all(
            line_matches(e, a) for e, a in zip(expected_lines, actual_lines)):
        return None
    return "\n".join(difflib.unified_diff(expected_lines, actual_lines, "expected", "actual",
                                          lineterm=""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tessera", required=True, help="the tessera tool")
    parser.add_argument("--system", required=True, help="the .system file")
    parser.add_argument("--script", required=True, help="the shell's input")
    parser.add_argument("--expected", required=True, help="the expected transcript")
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("run_args", nargs="*", help="more `tessera run` arguments")
    options = parser.parse_args()

    with open(options.script, "rb") as script:
        run = subprocess.run([options.tessera, "run", options.system, "--timeout",
                              str(options.timeout), *options.run_args],
                             stdin=script, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output = run.stdout.decode("utf-8", errors="replace")
    with open(options.expected, encoding="utf-8") as file:
        expected = file.read()
    if expected.endswith("\n"):
        expected = expected[:-1]

    failures = []
    if run.returncode != 0:
        failures.append(f"the run ended with status {run.returncode}, not 0")
    transcript = transcript_of(output)
    if transcript is None:
        failures.append("no shell prompt in the output")
    else:
        difference = compare(expected, transcript)
        if difference is not None:
            failures.append("the transcript differs:\n" + difference)
    if failures:
        sys.stdout.write(output)
        sys.stderr.write(run.stderr.decode("utf-8", errors="replace"))
        for failure in failures:
            print(f"shell script: {failure}")
        return 1
    print(f"shell script: {options.script}: the transcript matches "
          f"({transcript.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
