"""A short run of every Linux baseline benchmark (issue 9: it completes and returns sane values).

No timing limits: only that each benchmark ran, measured the requested iterations, produced
ordered non-zero statistics, and that report.py accepts the output. Usage:
linux_baseline_smoke.py <path to linux_baseline>
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench"))
import bench_lines  # noqa: E402
import report  # noqa: E402

BINARY = None
ITERATIONS = 200


class LinuxBaselineSmokeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        cls.output = os.path.join(cls.directory.name, "linux.json")
        cls.completed = subprocess.run(
            [BINARY, "--iterations", str(ITERATIONS), "--warmup", "20", "--output", cls.output],
            capture_output=True, text=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def load(self):
        self.assertEqual(self.completed.returncode, 0, self.completed.stderr)
        with open(self.output, encoding="utf-8") as file:
            return json.load(file)

    def test_every_issue_nine_benchmark_ran_without_failure(self):
        baseline = self.load()
        self.assertEqual([e["name"] for e in baseline["results"]], list(report.LINUX_NAMES))
        self.assertEqual(baseline["failures"], [])

    def test_statistics_are_ordered_and_non_zero(self):
        for entry in self.load()["results"]:
            with self.subTest(entry["name"]):
                self.assertEqual(entry["iterations"], ITERATIONS)
                figures = [entry[k] for k in ("min_cycles", "median_cycles", "p90_cycles",
                                              "p99_cycles", "max_cycles")]
                self.assertGreater(figures[0], 0)
                self.assertEqual(figures, sorted(figures))
                self.assertGreater(entry["median_ns"], 0)

    def test_reports_pinned_cpu_and_a_plausible_tsc_frequency(self):
        baseline = self.load()
        self.assertGreaterEqual(baseline["pinned_cpu"], 0)
        self.assertGreater(baseline["tsc_hz"], 100_000_000)        # above 100 MHz
        self.assertLess(baseline["tsc_hz"], 10_000_000_000)        # below 10 GHz

    def test_report_merges_the_output(self):
        results = report.merge(bench_lines.InSystemRun(), self.load(), "icount", "smoke test")
        self.assertEqual(len(results["results"]), len(report.LINUX_NAMES))

    def test_rejects_unknown_benchmark_name(self):
        rejected = subprocess.run([BINARY, "--only", "no_such_benchmark"], capture_output=True,
                                  text=True, timeout=60)
        self.assertEqual(rejected.returncode, 2)
        self.assertIn("no such benchmark", rejected.stderr)


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main()
