"""Tests of bench/sel4bench: extracting sel4bench's JSON from a serial log, choosing its IPC,
mapping and sync figures, setting the two kernels' runs side by side, and the report's table."""

import os
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.join(REPO, "bench", "sel4bench"))
import report  # noqa: E402
import report_markdown  # noqa: E402
import run_sel4bench  # noqa: E402
import sel4bench_figures  # noqa: E402


def ipc_row(function, same, length, median):
    return {"Function": function, "Direction": "client->server", "Client Prio": 254,
            "Server Prio": 254, "Same vspace?": same, "IPC length": length, "Median": median}


def sel4bench_results(call_median, map_median):
    return [
        {"Benchmark": "One way IPC microbenchmarks",
         "Results": [ipc_row("seL4_Call", False, 0, call_median), ipc_row("seL4_Call", False, 10, 839)]},
        {"Benchmark": "Wait time", "Results": [{"Waiter": 0, "Median": 63156}]},
        {"Benchmark": "Producer to consumer (early processing)",
         "Results": [{"Median": 0, "Mean": 1175.0}]},
        {"Benchmark": "Mapping Benchmark",
         "Results": [{"Num of Page Mapped": 1, "Phase": "Mapping", "Median": map_median}]},
        {"Benchmark": "Something else", "Results": [{"Median": 1}]},
    ]


class ExtractTest(unittest.TestCase):
    def test_takes_the_array_between_the_markers_even_on_one_line_with_the_end(self):
        log = ("boot\nJSON OUTPUT\n[{\"Benchmark\": \"Wait time\", \"Results\": []}]"
               "END JSON OUTPUT\nidle\n")
        self.assertEqual(run_sel4bench.extract(log), [{"Benchmark": "Wait time", "Results": []}])

    def test_no_end_marker_is_no_result(self):
        self.assertIsNone(run_sel4bench.extract("JSON OUTPUT\n[{\"Benchmark\": "))
        self.assertIsNone(run_sel4bench.extract("sync Benchmarks (iteration 0)\n"))


class FiguresTest(unittest.TestCase):
    def test_picks_ipc_mapping_and_sync_figures_and_means_for_early_processing(self):
        names = sel4bench_figures.figures(sel4bench_results(199, 787))
        self.assertEqual(names, [
            ("ipc", "seL4_Call client->server, cross AS, 0 words, prio 254/254", 199),
            ("ipc", "seL4_Call client->server, cross AS, 10 words, prio 254/254", 839),
            ("sync", "Wait time, waiter 0", 63156),
            ("sync", "Producer to consumer (early processing) (mean)", 1175),
            ("mapping", "Mapping, 1 pages", 787),
        ])

    def test_whole_floats_become_integers_and_fractions_stay(self):
        results = [{"Benchmark": "Broadcast time", "Results": [{"Median": 1056.0}]},
                   {"Benchmark": "Consumer to producer (early processing)",
                    "Results": [{"Median": 0, "Mean": 1160.5}]}]
        values = [value for _, _, value in sel4bench_figures.figures(results)]
        self.assertEqual(values, [1056, 1160.5])
        self.assertIsInstance(values[0], int)

    def test_side_by_side_meets_rows_by_name_and_keeps_missing_sides(self):
        tessera = {"status": "complete", "results": sel4bench_results(250, 900)[:1]}
        sel4 = {"status": "complete", "results": sel4bench_results(199, 787)}
        rows = sel4bench_figures.side_by_side(tessera, sel4)
        self.assertEqual(rows[0]["tessera"], 250)
        self.assertEqual(rows[0]["sel4"], 199)
        self.assertEqual(rows[0]["tessera_over_sel4"], 1.26)
        mapping = [r for r in rows if r["group"] == "mapping"][0]
        self.assertIsNone(mapping["tessera"])
        self.assertIsNone(mapping["tessera_over_sel4"])


class ReportTest(unittest.TestCase):
    def test_section_says_which_side_did_not_run(self):
        section = report.sel4bench_section(
            {"status": "incomplete", "reason": "timeout"},
            {"status": "complete", "results": sel4bench_results(199, 787)})
        text = "\n".join(report_markdown.sel4bench_section({"sel4bench": section}))
        self.assertIn("Tessera (incomplete: timeout)", text)
        self.assertIn("| ipc | seL4_Call client->server, cross AS, 0 words, prio 254/254 | – | 199 | – |", text)

    def test_absent_files_are_not_run(self):
        self.assertEqual(report.load_sel4bench(None)["status"], "not_run")
        self.assertEqual(report.load_sel4bench("/nonexistent/sel4bench.json")["status"], "not_run")


if __name__ == "__main__":
    unittest.main()
