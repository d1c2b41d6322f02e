"""Tests of the boot benchmark's parts that need no QEMU: the timeline read from serial output
(bench/boot/boot_timeline.py) and its table in results.md."""

import os
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.join(REPO, "bench", "boot"))
import boot_timeline  # noqa: E402
import report_markdown  # noqa: E402

LOG = """
Tessera microkernel, x86_64, seL4 ABI (non-MCS)
boot: Multiboot entry at TSC 1000
loader: system image of 50 operations, 20 objects, 6 protection domains
loader: started 6 protection domains (at most 40 capabilities held at once)\r
loader: boot timeline: entered at TSC 4001000, every protection domain started at TSC 9001000\r
"""


class TimelineTest(unittest.TestCase):
    def test_reads_the_three_points_and_their_differences(self):
        timeline = boot_timeline.parse(LOG)
        self.assertEqual(timeline.to_root_task(), 4000000)
        self.assertEqual(timeline.to_system_started(), 9000000)
        self.assertEqual(timeline.protection_domains, 6)
        self.assertEqual(timeline.problems(), [])

    def test_a_boot_that_never_reached_the_loader_has_no_figures(self):
        timeline = boot_timeline.parse("boot: Multiboot entry at TSC 1000\nkernel panic\n")
        self.assertIsNone(timeline.to_root_task())
        self.assertIsNone(timeline.to_system_started())
        self.assertEqual(timeline.problems(), ["no 'loader: boot timeline' line"])

    def test_values_out_of_order_are_a_problem(self):
        timeline = boot_timeline.parse(LOG.replace("TSC 1000", "TSC 5000000"))
        self.assertIn("out of order", timeline.problems()[0])


class BootTableTest(unittest.TestCase):
    def results(self, boot):
        return {"date": "D", "machine": "M", "cpu": "C", "tsc_hz": 1e9, "mode": "icount",
                "mode_reason": "r", "in_system": {"status": "not_run", "note": "n",
                                                  "missing": [], "warnings": []},
                "linux": {}, "results": [], "comparisons": [], "boot": boot}

    def test_rings_show_the_marginal_cost_of_a_protection_domain(self):
        boot = {"mode": "icount", "unit": "instructions", "memory": "512M",
                "default_system": {"to_root_task": 4000000, "to_system_started": 9000000,
                                   "protection_domains": 6, "boot_wall_seconds": 1.5},
                "rings": [
                    {"protection_domains_described": 64, "protection_domains": 64,
                     "to_root_task": 4100000, "to_system_started": 20000000,
                     "build_wall_seconds": 0.2, "build_cpu_seconds": 0.1},
                    {"protection_domains_described": 256, "protection_domains": 256,
                     "to_root_task": 4200000, "to_system_started": 59000000,
                     "build_wall_seconds": 0.5, "build_cpu_seconds": 0.4},
                    {"protection_domains_described": 1000, "build_wall_seconds": 1.0,
                     "build_cpu_seconds": 0.9, "error": "no 'loader: boot timeline' line"}]}
        markdown = report_markdown.render(self.results(boot))
        self.assertIn("| ring of 256 | 256 | 4,200,000 | 59,000,000 | 203,125 |", markdown)
        self.assertIn("- ring of 1000: no 'loader: boot timeline' line", markdown)
        self.assertIn("| default system (`systems/pipeline.system`) | 6 | 4,000,000 | 9,000,000 |",
                      markdown)

    def test_no_boot_run_says_not_run(self):
        markdown = report_markdown.render(self.results({"status": "not_run"}))
        self.assertIn("## Boot and scale", markdown)
        self.assertIn("**Not run:** no boot figures", markdown)


if __name__ == "__main__":
    unittest.main()
