#!/usr/bin/env python3
"""Runs run_suite.py and passes only if it reaches one given verdict, named by its exit code.

The harness's must-fail self-tests use this instead of ctest's WILL_FAIL: WILL_FAIL would also
accept a crash of run_suite.py itself, or a failure for the wrong reason.
Usage: expect_verdict.py [--within SECONDS] <verdict-name> <run_suite.py> [its arguments...]
"""

import importlib.util
import subprocess
import sys
import time


def load(path):
    spec = importlib.util.spec_from_file_location("run_suite", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv):
    within = None
    if argv[:1] == ["--within"] and len(argv) >= 2:
        within, argv = float(argv[1]), argv[2:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    verdict, run_suite_path, args = argv[0], argv[1], argv[2:]
    run_suite = load(run_suite_path)
    expected = getattr(run_suite, verdict, None)
    if not isinstance(expected, int):
        print(f"expect_verdict: run_suite.py has no verdict {verdict!r}", file=sys.stderr)
        return 2

    start = time.monotonic()
    result = subprocess.run([sys.executable, run_suite_path, *args], stdout=subprocess.PIPE,
                            text=True, check=False)
    elapsed = time.monotonic() - start
    sys.stdout.write(result.stdout)
    problems = []
    if within is not None and elapsed > within:
        problems.append(f"took {elapsed:.1f} s, more than the {within:g} s allowed")
    if result.returncode != expected:
        problems.append(f"run_suite exited {result.returncode}, expected {expected} ({verdict})")
    if expected != run_suite.Pass:
        if "run_suite: FAIL: " not in result.stdout:
            problems.append("no `run_suite: FAIL:` reason line")
        if "line(s) of serial output:" not in result.stdout:
            problems.append("no serial tail after the failure")
    for problem in problems:
        print(f"expect_verdict: {problem}")
    if problems:
        return 1
    print(f"expect_verdict: OK, run_suite reached {verdict} as it should")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
