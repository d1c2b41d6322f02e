"""Tests of bench/vmm/run_vm_bench.py's reading of `tessera vm`'s output and the BENCH lines it
writes for report.py (the runs themselves need QEMU and minutes: `make bench`)."""

import os
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.join(REPO, "bench", "vmm"))
import bench_lines  # noqa: E402
import run_vm_bench  # noqa: E402

READ_LINE = ("LINUX-BENCH name=pread_4k_random_direct_per_kib unit=ns iterations=256 loops=5 "
             "min=1000.0 median=1250.5 max=1500.0 idle_ns=1280000")
NESTED_OUTPUT = "\n".join([
    "vmm: the guest's disk 'disk': 16 MiB, read-only, virtio-blk at 00:01.0",
    "vmm: entering the guest at TSC 1000000",
    "[    0.000000] Linux version 6.1.0-57-amd64",
    "linux-guest: /dev/ttyS1: Input/output error; writing to the console",
    "LINUX-GUEST-BEGIN release=6.1.0-57-amd64 modules=6 disks=1 init_tsc=901000000 init_idle_ns=100000000",
    READ_LINE,
    "LINUX-BENCH-END results=1 failed=0",
    "LINUX-GUEST-EXIT index=0 status=0",
    "LINUX-GUEST-END status=0",
    "vmm: the guest powered off after 12345 exits",
]) + "\n"


class NestedOutput(unittest.TestCase):
    def test_boot_is_init_tsc_minus_the_vmm_entry_and_reads_are_per_4k(self):
        result = run_vm_bench.parse_nested(NESTED_OUTPUT)
        self.assertEqual(result["boot_elapsed"], 900000000)
        self.assertEqual(result["boot_idle_ns"], 100000000)
        self.assertEqual(result["boot_to_init"], 800000000)   # the halted time left out
        self.assertEqual(result["release"], "6.1.0-57-amd64")
        self.assertEqual(result["exits"], 12345)
        read = result["read_4k"]
        self.assertEqual((read["min"], read["median"], read["max"]), (4000.0, 5002.0, 6000.0))
        self.assertEqual(read["idle_ns_per_read"], 1000)   # 1.28 ms over 5 loops of 256 reads

    def test_without_the_entry_line_or_the_read_there_is_no_figure(self):
        result = run_vm_bench.parse_nested(NESTED_OUTPUT.replace("entering the guest", "x")
                                           .replace(READ_LINE, "LINUX-BENCH-FAILED name="
                                                    "pread_4k_random_direct_per_kib error=EIO"))
        self.assertNotIn("boot_to_init", result)
        self.assertIsNone(result["read_4k"])
        self.assertEqual(result["failures"][0]["error"], "EIO")


class Lines(unittest.TestCase):
    def document(self):
        nested = run_vm_bench.parse_nested(NESTED_OUTPUT)
        qemu = {"release": "6.1.0-57-amd64", "boot_to_init": 500000000,
                "read_4k": {"min": 100.0, "median": 120.4, "max": 150.0, "loops": 5}}
        return {"nested": nested, "qemu": qemu}

    def test_four_figures_with_the_kernel_that_report_py_reads(self):
        run = bench_lines.parse_lines(run_vm_bench.bench_lines(self.document()), "vmm_guest.log")
        self.assertEqual(run.warnings, [])
        self.assertEqual(run.status(), "complete")
        self.assertEqual(run.order, ["vmm.linux_boot_to_init", "vmm.virtio_blk_read_4k",
                                     "vmm.linux_boot_to_init_qemu", "vmm.virtio_blk_read_4k_qemu"])
        self.assertEqual(run.results["vmm.linux_boot_to_init"]["median"], 800000000)
        self.assertEqual(run.results["vmm.virtio_blk_read_4k"]["median"], 5002)
        self.assertEqual(run.results["vmm.virtio_blk_read_4k_qemu"]["median"], 120)
        self.assertEqual(run.results["vmm.virtio_blk_read_4k"]["iterations"], 5)
        for figures in run.results.values():
            self.assertEqual(figures["kernel"], "6.1.0-57-amd64")

    def test_a_failed_run_leaves_a_note_and_a_complete_log_of_what_there_is(self):
        document = self.document()
        document["qemu"] = {"error": "Linux guest timed out; last lines:\n..."}
        lines = run_vm_bench.bench_lines(document)
        self.assertIn("vmm-guest-bench: the qemu run failed: Linux guest timed out; last lines:",
                      lines)
        run = bench_lines.parse_lines(lines, "vmm_guest.log")
        self.assertEqual(run.status(), "complete")
        self.assertEqual(len(run.results), 2)


if __name__ == "__main__":
    unittest.main()
