"""The BENCH line contract end to end: lines printed by the C++ formatter (bench_line_emit) are
parsed by bench/bench_lines.py and merged by report.py into the expected figures.
Usage: bench_line_contract.py <path to bench_line_emit>"""

import os
import subprocess
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench"))
import bench_lines  # noqa: E402

EMITTER = None


class BenchLineContractTest(unittest.TestCase):
    def setUp(self):
        output = subprocess.run([EMITTER], capture_output=True, text=True, check=True,
                                timeout=60).stdout
        self.run_result = bench_lines.parse_lines(output.splitlines(keepends=True), "emitter")

    def test_parser_reads_every_figure_the_formatter_wrote(self):
        expected = {"iterations": 10000, "min": 3, "median": 15000, "p90": 27000, "p99": 29700,
                    "max": 30000}
        self.assertEqual(self.run_result.results["ipc_roundtrip_cross_as"], expected)
        self.assertEqual(self.run_result.results["ipc.extra.dotted_name"], expected)

    def test_tsc_and_end_lines_round_trip(self):
        self.assertEqual(self.run_result.tsc_hz, 2994373000)
        self.assertEqual(self.run_result.status(), "complete")
        self.assertEqual(self.run_result.warnings, [])


if __name__ == "__main__":
    EMITTER = sys.argv.pop(1)
    unittest.main()
