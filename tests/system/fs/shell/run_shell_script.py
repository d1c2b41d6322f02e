#!/usr/bin/env python3
"""Runs shell scripts through `tessera run SYSTEM --disk IMAGE < SCRIPT`, as a user would, and
compares each run's shell transcript with the expected one.

The disk is a fresh copy of --disk-from in a temporary directory; each --run SCRIPT EXPECTED boots
the system once more on that same copy, so a later run sees what an earlier one wrote (persistence
across a reboot). After the last run `e2fsck -fn` must find the copy clean.

The transcript is the console output from the shell's first line (one starting with "$ ", the
prompt, or "shell: ", what it says about the volume before its first prompt) to the end, its leading empty prompts taken as one, with carriage returns removed (the kernels' console writes "\\r\\n"). Anything else in
between, a kernel or loader line included, is a difference. In the expected file a line may hold
`{*}`, which matches any text (times); the file's last newline is not part of the transcript (the
shell's last output is a prompt). Each run must end with status 0 (halt).
"""

import argparse
import difflib
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile


def transcript_of(output):
    text = output.replace("\r", "")
    starts = [at for at in (text.find("\n$ "), text.find("\nshell: ")) if at >= 0]
    if not starts:
        return None
    return without_leading_empty_prompts(text[min(starts) + 1:])


def without_leading_empty_prompts(text):
    """Empty lines sent ahead of a script (--pad-input) each bring a prompt of their own, and so
    does a first command without output: transcripts are compared with those taken as one."""
    while text.startswith("$ $ "):
        text = text[2:]
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


def run_once(options, disk, script_path, expected_path):
    """The failures of one boot on `disk` with `script_path` as input (an empty list: it passed)."""
    with open(script_path, "rb") as script:
        text = b"\n" * options.pad_input + script.read()
    run = subprocess.run([options.tessera, "run", options.system, "--timeout",
                          str(options.timeout), "--disk", disk, *options.run_args],
                         input=text, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output = run.stdout.decode("utf-8", errors="replace")
    with open(expected_path, encoding="utf-8") as file:
        expected = file.read()
    if expected.endswith("\n"):
        expected = expected[:-1]
    expected = without_leading_empty_prompts(expected)

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
        return [f"{script_path}: {failure}" for failure in failures]
    print(f"shell script: {script_path}: the transcript matches ({transcript.count(chr(10))} lines)")
    return []


def check_unchanged(disk, original):
    """A failure when the disk no longer equals the image it was copied from, else None."""
    if not filecmp.cmp(disk, original, shallow=False):
        return "the disk was written: it differs from " + original
    print("shell script: the disk is unchanged")
    return None


def check_errors_recorded(disk):
    """A failure unless the superblock's state has the errors bit (EXT2_ERROR_FS, 2) set: what
    the service records when it finds damage, as Linux's ext2 does."""
    with open(disk, "rb") as image:
        image.seek(1024 + 58)  # s_state
        state = int.from_bytes(image.read(2), "little")
    if not state & 2:
        return f"the volume's state is {state:#x}: the damage found is not recorded"
    print("shell script: the volume records that it has errors")
    return None


def check_clean(disk):
    """A failure when `e2fsck -fn` does not find the image clean, else None."""
    check = subprocess.run(["e2fsck", "-fn", disk], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    if check.returncode != 0:
        return (f"e2fsck -fn found the disk not clean (status {check.returncode}):\n"
                + check.stdout.decode("utf-8", errors="replace"))
    print("shell script: e2fsck -fn: the disk is clean")
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tessera", required=True, help="the tessera tool")
    parser.add_argument("--system", required=True, help="the .system file")
    parser.add_argument("--disk-from", required=True, help="the ext2 image the disk starts as")
    parser.add_argument("--run", nargs=2, action="append", required=True,
                        metavar=("SCRIPT", "EXPECTED"),
                        help="one boot: the shell's input and its expected transcript")
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--check", choices=("clean", "unchanged", "errors"), default="clean",
                        help="after the last run: `e2fsck -fn` finds the disk clean (default), "
                        "the disk still equals --disk-from, or its superblock records errors")
    parser.add_argument("--pad-input", type=int, default=0, metavar="N",
                        help="send N empty lines ahead of each script (a kernel that loses the "
                        "first bytes on COM1 loses only those)")
    parser.add_argument("run_args", nargs="*", help="more `tessera run` arguments")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="shell-script-") as directory:
        disk = os.path.join(directory, "disk.img")
        shutil.copyfile(options.disk_from, disk)
        failures = []
        for script_path, expected_path in options.run:
            failures += run_once(options, disk, script_path, expected_path)
            if failures:
                break
        if not failures:
            if options.check == "clean":
                problem = check_clean(disk)
            elif options.check == "errors":
                problem = check_errors_recorded(disk)
            else:
                problem = check_unchanged(disk, options.disk_from)
            if problem:
                failures.append(problem)
    for failure in failures:
        print(f"shell script: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
