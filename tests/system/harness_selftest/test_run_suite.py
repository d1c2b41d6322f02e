"""Unit tests of tests/system/run_suite.py's line rules and verdicts, without booting anything."""

import os
import sys
import unittest

SYSTEM = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, SYSTEM)
import run_suite  # noqa: E402
from run_suite import launch  # noqa: E402


def options(*argv):
    return run_suite.parse_arguments(list(argv))


def log_of(*lines, expect=()):
    log = run_suite.SerialLog([run_suite.re.compile(p) for p in expect])
    for line in lines:
        log.add(line)
    return log


class SummaryLine(unittest.TestCase):
    def test_plain_and_prefixed_summaries_match(self):
        for line in ("3 passed, 0 failed", "roottask: 3 passed, 0 failed",
                     "sel4test.x-1: 12 passed, 2 failed", "3 passed, 0 failed   "):
            self.assertIsNotNone(run_suite.SUMMARY.match(line), line)

    def test_summary_must_be_the_whole_line(self):
        for line in ("expected 3 passed, 0 failed", "3 passed, 0 failed, 1 skipped",
                     "a: b: 3 passed, 0 failed", "3 passed,0 failed", "3 passed; 0 failed"):
            self.assertIsNone(run_suite.SUMMARY.match(line), line)

    def test_counts_are_recorded_in_order(self):
        log = log_of("1 passed, 0 failed", "x", "suite: 4 passed, 2 failed")
        self.assertEqual(log.summaries, [(1, 0), (4, 2)])

    def test_first_panic_line_is_kept(self):
        log = log_of("ok", "KERNEL PANIC: #GP", "RIP 0x1", "KERNEL PANIC: again")
        self.assertEqual(log.panic_line, "KERNEL PANIC: #GP")

    def test_expected_patterns_are_crossed_off(self):
        log = log_of("hello world", "bye", expect=("^hello", "bye", "never"))
        self.assertEqual([p.pattern for p in log.unmatched], ["never"])

    def test_tail_keeps_the_last_forty_lines(self):
        log = log_of(*(f"line {i}" for i in range(100)))
        self.assertEqual(len(log.tail), 40)
        self.assertEqual(log.tail[0], "line 60")
        self.assertEqual(log.tail[-1], "line 99")


class Verdict(unittest.TestCase):
    def code(self, log, status, why="exited", opts=None):
        return run_suite.verdict(opts or options(), log, status, why)[0]

    def test_clean_summary_and_status_zero_passes(self):
        self.assertEqual(self.code(log_of("3 passed, 0 failed"), 0), run_suite.Pass)

    def test_failed_tests_fail_even_with_status_zero(self):
        self.assertEqual(self.code(log_of("2 passed, 1 failed"), 0), run_suite.FailTestsFailed)

    def test_a_later_clean_summary_does_not_hide_a_failing_one(self):
        log = log_of("a: 2 passed, 1 failed", "b: 3 passed, 0 failed")
        self.assertEqual(self.code(log, 0), run_suite.FailTestsFailed)

    def test_panic_fails_before_anything_else(self):
        log = log_of("3 passed, 0 failed", "KERNEL PANIC: late")
        self.assertEqual(self.code(log, 0), run_suite.FailPanic)
        self.assertEqual(self.code(log, 0, opts=options("--allow-panic")), run_suite.Pass)

    def test_launcher_timeout_and_own_deadline_are_timeouts(self):
        self.assertEqual(self.code(log_of("x"), launch.ExitTimeout), run_suite.FailTimeout)
        self.assertEqual(self.code(log_of("x"), None, "deadline"), run_suite.FailTimeout)

    def test_a_failure_line_fails_even_when_everything_else_passed(self):
        log = run_suite.SerialLog([], [run_suite.re.compile("^Test suite failed")])
        for line in ("3 passed, 0 failed", "Test suite failed. 1/2 tests passed."):
            log.add(line)
        self.assertEqual(log.failure_line, "Test suite failed. 1/2 tests passed.")
        self.assertEqual(self.code(log, 0), run_suite.FailLineSeen)
        self.assertEqual(self.code(log, None, "expected"), run_suite.FailLineSeen)

    def test_lines_not_matching_a_failure_pattern_are_harmless(self):
        log = run_suite.SerialLog([], [run_suite.re.compile("^Test suite failed")])
        log.add("Starting test 7: Test suite failed earlier")
        self.assertIsNone(log.failure_line)

    def test_reset_and_launch_errors_have_their_own_verdicts(self):
        self.assertEqual(self.code(log_of(), launch.ExitGuestReset), run_suite.FailGuestReset)
        self.assertEqual(self.code(log_of(), launch.ExitQemuError), run_suite.FailLaunch)
        self.assertEqual(self.code(log_of(), launch.ExitLaunchError), run_suite.FailLaunch)

    def test_missing_or_empty_summary_fails(self):
        self.assertEqual(self.code(log_of("ok"), 0), run_suite.FailNoSummary)
        self.assertEqual(self.code(log_of("0 passed, 0 failed"), 0), run_suite.FailNoSummary)

    def test_nonzero_guest_status_fails_unless_asked_for(self):
        log = log_of("3 passed, 0 failed")
        self.assertEqual(self.code(log, 3), run_suite.FailExitStatus)
        self.assertEqual(self.code(log, 3, opts=options("--exit-status", "3")), run_suite.Pass)

    def test_missing_expected_line_fails(self):
        opts = options("--expect", "greeting")
        log = log_of("3 passed, 0 failed", expect=opts.expect)
        self.assertEqual(self.code(log, 0, opts=opts), run_suite.FailExpectMissing)

    def test_no_summary_mode_passes_on_expected_lines_and_status(self):
        opts = options("--no-summary", "--expect", "greeting")
        log = log_of("a greeting", expect=opts.expect)
        self.assertEqual(self.code(log, 0, opts=opts), run_suite.Pass)
        self.assertEqual(self.code(log, 1, opts=opts), run_suite.FailExitStatus)

    def test_until_expected_passes_when_stopped_by_the_harness(self):
        opts = options("--until-expected", "--expect", "halted")
        log = log_of("system halted", expect=opts.expect)
        self.assertEqual(self.code(log, None, "expected", opts=opts), run_suite.Pass)

    def test_verdict_codes_are_distinct(self):
        names = [n for n in dir(run_suite) if n.startswith("Fail") or n in ("Pass", "UsageError")]
        codes = [getattr(run_suite, n) for n in names]
        self.assertEqual(len(codes), len(set(codes)))


class Arguments(unittest.TestCase):
    def test_everything_after_the_separator_goes_to_the_launcher(self):
        opts = options("--timeout", "5", "--", "--kernel", "k", "--timeout", "9")
        self.assertEqual(opts.timeout, 5.0)
        self.assertEqual(opts.launch_args, ["--kernel", "k", "--timeout", "9"])

    def test_time_limit_reaches_the_launcher_even_with_qemu_passthrough(self):
        command = run_suite.launcher_command(options("--timeout", "7", "--", "-k", "--", "-S"))
        self.assertEqual(command[2:], ["--timeout", "7", "--input", "none", "-k", "--", "-S"])

    def test_a_suite_gets_no_console_input_unless_it_asks(self):
        command = run_suite.launcher_command(options("--", "--input", "in.txt", "--", "--input"))
        self.assertEqual(command[2:], ["--timeout", "60", "--input", "in.txt", "--", "--input"])
        command = run_suite.launcher_command(options("--", "--kernel", "k", "--", "--input", "x"))
        self.assertEqual(command[4:6], ["--input", "none"])

    def test_until_expected_without_expect_is_a_usage_error(self):
        with self.assertRaises(SystemExit) as caught:
            options("--until-expected")
        self.assertEqual(caught.exception.code, run_suite.UsageError)

    def test_bad_regex_is_a_usage_error(self):
        with self.assertRaises(SystemExit):
            options("--expect", "(")


if __name__ == "__main__":
    unittest.main()
