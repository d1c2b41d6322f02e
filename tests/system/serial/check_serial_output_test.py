#!/usr/bin/env python3
"""Self-test of check_serial_output.py's verdicts: a well-formed serial log passes, and each way
a log can go wrong (two clients on one line, a lost or repeated line, a wrong payload, input to
the wrong client, a missing report, a flood that holds the others up) is caught."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_serial_output as checker  # noqa: E402


def numbered(name, number):
    return f"{name}: line {number:03} {checker.payload(name, number)}"


def good_log():
    """A log as systems/serial.system prints it: the clients' lines interleaved."""
    lines = ["Tessera microkernel", "loader: removed itself: 594 capabilities sealed away",
             "serial_virt: 5 clients; input goes to alpha; Ctrl-\\ N Enter gives it to client N",
             "serial_virt: input now goes to beta (client 1)",
             "serial_virt: input now goes to gamma (client 2)"]
    flood = 0
    for number in range(60):
        lines.append(numbered("alpha", number))
        lines.append(numbered("beta", number))
        if number < 5:
            lines.append(numbered("gamma", number))
        for _ in range(7):
            if flood < 400:
                lines.append(numbered("flood", flood))
                flood += 1
    while flood < 400:
        lines.append(numbered("flood", flood))
        flood += 1
    lines += ["serial_virt: no client 99 (there are 5); input stays with gamma",
              "serial_virt: gamma broke the indices of its transmit ring (1 times): its bytes "
              "in flight are dropped",
              "gamma: recovered after breaking its ring",
              "gamma: got: to gamma 1", "beta: got: to beta 1", "beta: got: to beta \x1c 2",
              "alpha: got: to alpha 1", "alpha: got: to alpha 2",
              "monitor: 16 passed, 0 failed", "tessera: no runnable thread: idle",
              "run_suite: PASS: 16 passed, 0 failed, guest status 0", ""]
    return lines


class Verdicts(unittest.TestCase):
    def test_a_well_formed_log_passes(self):
        self.assertEqual(checker.check(good_log()), [])

    def test_two_clients_on_one_line_are_caught(self):
        log = good_log()
        index = log.index(numbered("alpha", 3))
        log[index] = log[index][:20] + numbered("beta", 3)
        problems = checker.check(log)
        self.assertTrue(any("never prints" in p for p in problems), problems)

    def test_a_line_cut_in_two_is_caught(self):
        log = good_log()
        index = log.index(numbered("beta", 10))
        log[index:index + 1] = [log[index][:15], log[index][15:]]
        self.assertNotEqual(checker.check(log), [])

    def test_a_lost_line_is_caught(self):
        log = good_log()
        log.remove(numbered("flood", 200))
        problems = checker.check(log)
        self.assertTrue(any("line 201 where 200 was due" in p for p in problems), problems)

    def test_a_repeated_line_is_caught(self):
        log = good_log()
        index = log.index(numbered("alpha", 7))
        log.insert(index + 1, numbered("alpha", 7))
        self.assertNotEqual(checker.check(log), [])

    def test_input_to_the_wrong_client_is_caught(self):
        log = good_log()
        log[log.index("beta: got: to beta 1")] = "alpha: got: to beta 1"
        problems = checker.check(log)
        self.assertTrue(any(p.startswith("beta: received") for p in problems), problems)

    def test_a_missing_report_is_caught(self):
        log = [line for line in good_log() if "broke the indices" not in line]
        self.assertTrue(any("never said" in p for p in checker.check(log)))

    def test_a_line_from_a_broken_ring_is_caught(self):
        log = good_log()
        log.insert(-4, "gamma: this line is lost to the broken ring")
        self.assertNotEqual(checker.check(log), [])

    def test_clients_held_up_behind_the_flood_are_caught(self):
        log = good_log()
        quiet = [line for line in log if line.startswith(("alpha: line", "beta: line"))]
        log = [line for line in log if line not in quiet]
        log[-4:-4] = quiet
        problems = checker.check(log)
        self.assertTrue(any("before the flood's 40th line" in p for p in problems), problems)

    def test_a_log_that_never_starts_fails(self):
        self.assertEqual(checker.check(["Tessera microkernel"]), ["the loader never finished"])


if __name__ == "__main__":
    unittest.main()
