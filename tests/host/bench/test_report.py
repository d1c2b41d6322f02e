"""Tests of bench/bench_lines.py, bench/report.py, bench/report_markdown.py and bench/mode.py:
BENCH line parsing, merging with the Linux baseline, the two modes and the Markdown tables."""

import json
import os
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench"))
import bench_lines  # noqa: E402
import mode  # noqa: E402
import report  # noqa: E402
import report_markdown  # noqa: E402

# The exact line bench_line_test.cc expects the C++ formatter to print: the shared contract.
CXX_LINE = ("BENCH name=ipc_roundtrip_cross_as unit=ticks n=10000 min=301 median=312 p90=330 "
            "p99=415 max=9876")


def linux_baseline():
    def entry(name, median):
        return {"system": "linux", "name": name, "iterations": 10000, "min_cycles": median - 10,
                "median_cycles": median, "p90_cycles": median + 10, "p99_cycles": median + 20,
                "max_cycles": median + 30, "median_ns": median / 3.0}
    return {
        "tool": "linux_baseline", "date": "2026-01-01T00:00:00Z", "cpu": "Test CPU",
        "kernel": "Linux 6.1 x86_64", "pinned_cpu": 0, "tsc_hz": 3_000_000_000,
        "tsc_hz_source": "test", "timer_overhead_cycles": 40, "warmup": 1000, "failures": [],
        "results": [entry("null_syscall", 600), entry("pipe_roundtrip", 15600),
                    entry("futex_roundtrip", 13000)],
    }


def parse(text):
    return bench_lines.parse_lines(text.splitlines(), "serial.log")


class BenchLinesTest(unittest.TestCase):
    def test_parses_the_line_the_cxx_formatter_prints(self):
        run = parse(CXX_LINE + "\nBENCH-END results=1\n")
        self.assertEqual(run.results["ipc_roundtrip_cross_as"],
                         {"iterations": 10000, "min": 301, "median": 312, "p90": 330, "p99": 415,
                          "max": 9876})
        self.assertEqual(run.status(), "complete")
        self.assertEqual(run.warnings, [])

    def test_ignores_other_serial_output_and_accepts_a_tag_prefix(self):
        run = parse("Tessera booting\nbench: " + CXX_LINE + "\r\nBENCHMARKS start\n"
                    "3 passed, 0 failed\n")
        self.assertEqual(list(run.results), ["ipc_roundtrip_cross_as"])
        self.assertEqual(run.warnings, [])

    def test_reads_tsc_frequency(self):
        self.assertEqual(parse("BENCH-TSC hz=2994373000").tsc_hz, 2994373000)

    def test_missing_end_line_marks_run_incomplete(self):
        self.assertEqual(parse(CXX_LINE).status(), "incomplete")

    def test_end_count_different_from_results_marks_run_incomplete(self):
        self.assertEqual(parse(CXX_LINE + "\nBENCH-END results=3").status(), "incomplete")

    def test_log_without_bench_lines_is_empty_not_complete(self):
        self.assertEqual(parse("kernel panic\n").status(), "empty")

    def test_no_sources_means_not_run(self):
        self.assertEqual(bench_lines.InSystemRun().status(), "not_run")

    def test_rejects_line_with_missing_field(self):
        run = parse("BENCH name=a unit=ticks n=10 min=1 median=2 p90=3")
        self.assertEqual(run.results, {})
        self.assertIn("missing p99", run.warnings[0])

    def test_rejects_unordered_percentiles(self):
        run = parse("BENCH name=a unit=ticks n=10 min=5 median=2 p90=3 p99=4")
        self.assertEqual(run.results, {})
        self.assertEqual(len(run.warnings), 1)

    def test_rejects_non_numeric_and_negative_values(self):
        self.assertEqual(parse("BENCH name=a unit=ticks n=10 min=x median=2 p90=3 p99=4").results, {})
        self.assertEqual(parse("BENCH name=a unit=ticks n=10 min=-1 median=2 p90=3 p99=4").results,
                         {})

    def test_rejects_wrong_unit_and_bad_name(self):
        self.assertEqual(parse("BENCH name=a unit=ns n=1 min=1 median=1 p90=1 p99=1").results, {})
        self.assertEqual(parse("BENCH name=Bad unit=ticks n=1 min=1 median=1 p90=1 p99=1").results,
                         {})

    def test_later_duplicate_wins_with_warning(self):
        run = parse("BENCH name=a unit=ticks n=1 min=1 median=1 p90=1 p99=1\n"
                    "BENCH name=a unit=ticks n=1 min=2 median=2 p90=2 p99=2\n")
        self.assertEqual(run.results["a"]["median"], 2)
        self.assertEqual(run.order, ["a"])
        self.assertEqual(len(run.warnings), 1)

    def test_missing_file_is_an_error(self):
        with self.assertRaises(OSError):
            bench_lines.parse_files(["/nonexistent/serial.log"])


def linux_guest(status="complete"):
    def figure(name, median):
        return {"name": name, "unit": "ns", "iterations": 10000, "loops": 5,
                "min": median - 1.5, "median": median, "max": median + 2.5, "idle_ns": 0}
    return {"status": status, "mode": "icount", "unit": "instructions",
            "kernel": {"package": "linux-image-6.1.0-57-amd64", "version": "6.1.192-3",
                       "release": "6.1.0-57-amd64", "sha256": "0" * 64,
                       "metapackage": "linux-image-amd64"},
            "kernel_command_line": "console=ttyS0", "clocksource": "tsc",
            "iterations": 10000, "loops": 5, "warmup": 1000, "failures": [],
            "results": [figure("null_syscall", 360.1), figure("pipe_roundtrip", 12480.0)]}


class LinuxGuestReportTest(unittest.TestCase):
    def test_the_posix_program_meets_its_namesake_in_the_guest(self):
        guest = linux_guest()
        guest["results"].append({"name": "posix.getppid", "unit": "ticks", "iterations": 10000,
                                 "loops": 1, "min": 390.0, "median": 402.0, "max": 900.0,
                                 "idle_ns": 0})
        tessera = ("BENCH name=posix.getppid unit=ticks n=10000 min=700 median=804 p90=810 "
                   "p99=900 max=5000\nBENCH-END results=1")
        results = report.merge(parse(tessera), linux_baseline(), "icount", "test", date="D",
                               machine="M", guest=guest)
        self.assertEqual(results["same_unit_comparisons"], [{
            "tessera": "posix.getppid", "tessera_median": 804, "linux": "posix.getppid",
            "linux_median": 402.0, "unit": "instructions", "linux_over_tessera": 0.5,
            "note": report.SAME_PROGRAM}])

    def test_icount_puts_tessera_and_guest_instructions_side_by_side_with_ratio(self):
        results = report.merge(parse(CXX_LINE + "\nBENCH-END results=1"), linux_baseline(),
                               "icount", "test", date="D", machine="M", guest=linux_guest())
        self.assertEqual(results["same_unit_comparisons"], [{
            "tessera": "ipc_roundtrip_cross_as", "tessera_median": 312, "linux": "pipe_roundtrip",
            "linux_median": 12480.0, "unit": "instructions", "linux_over_tessera": 40.0,
            "note": report.NEAREST_LINUX["ipc_roundtrip_cross_as"][1]}])
        guest = [e for e in results["results"] if e["system"] == "linux_guest"]
        self.assertEqual([e["name"] for e in guest], ["null_syscall", "pipe_roundtrip"])
        self.assertEqual(guest[0]["unit"], "instructions")
        self.assertEqual(results["linux_guest"]["kernel"]["version"], "6.1.192-3")
        markdown = report_markdown.render(results)
        self.assertIn("linux-image-6.1.0-57-amd64 6.1.192-3", markdown)
        self.assertIn("| `ipc_roundtrip_cross_as` | 312 | `pipe_roundtrip` | 12,480 | 40.00x |",
                      markdown)
        # The host's cycles stay, in their own labelled table after the guest's.
        self.assertLess(markdown.index("Linux in the same units"),
                        markdown.index("Linux on the host, in host cycles"))

    def test_no_guest_run_says_not_run_and_compares_nothing(self):
        results = report.merge(parse(CXX_LINE), linux_baseline(), "icount", "test")
        self.assertEqual(results["linux_guest"]["status"], "not_run")
        self.assertEqual(results["same_unit_comparisons"], [])
        self.assertIn("**Not run:**", report_markdown.render(results))

    def test_failed_guest_run_is_flagged(self):
        guest = linux_guest("failed")
        guest["error"] = "apt knows no linux-image-amd64"
        results = report.merge(parse(CXX_LINE), linux_baseline(), "icount", "test", guest=guest)
        self.assertIn("apt knows no linux-image-amd64", report_markdown.render(results))

    def test_a_file_that_is_not_the_guests_output_is_an_error(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "other.json")
            with open(path, "w", encoding="utf-8") as file:
                json.dump({"results": []}, file)
            with self.assertRaisesRegex(ValueError, "no status"):
                report.load_optional(path, ("status", "results"), "the guest")
        self.assertIsNone(report.load_optional(None, ("status",), "the guest"))

    def test_guest_in_ns_is_not_divided_into_instructions(self):
        guest = linux_guest()
        guest["unit"] = "ns"
        results = report.merge(parse(CXX_LINE), linux_baseline(), "icount", "test", guest=guest)
        self.assertEqual(results["same_unit_comparisons"], [])


class MergeTest(unittest.TestCase):
    def test_without_in_system_results_says_not_run_and_keeps_linux_figures(self):
        results = report.merge(bench_lines.InSystemRun(), linux_baseline(), "icount", "test",
                               date="D", machine="M")
        self.assertEqual(results["in_system"]["status"], "not_run")
        self.assertEqual([e["system"] for e in results["results"]], ["linux"] * 3)
        self.assertEqual(results["in_system"]["missing"], list(report.TESSERA_NAMES))
        markdown = report_markdown.render(results)
        self.assertIn("The in-system suite has not run yet", markdown)
        self.assertNotIn("| `ipc_roundtrip", markdown)

    def test_schema_has_issue_nine_fields(self):
        results = report.merge(parse(CXX_LINE + "\nBENCH-END results=1"), linux_baseline(),
                               "icount", "test", date="D", machine="M")
        for key in ("date", "cpu", "mode", "tsc_hz", "results"):
            self.assertIn(key, results)
        for entry in results["results"]:
            for key in ("system", "name", "iterations", "min_cycles", "median_cycles",
                        "p90_cycles", "p99_cycles", "median_ns"):
                self.assertIn(key, entry)
        json.dumps(results)   # serialisable as is

    def test_icount_figures_are_instructions_without_nanoseconds_or_ratios(self):
        results = report.merge(parse(CXX_LINE + "\nBENCH-END results=1"), linux_baseline(),
                               "icount", "test", date="D", machine="M")
        tessera = [e for e in results["results"] if e["system"] == "tessera"]
        self.assertEqual(len(tessera), 1)
        self.assertEqual(tessera[0]["median_cycles"], 312)
        self.assertIsNone(tessera[0]["median_ns"])
        self.assertEqual(tessera[0]["unit"], "instructions")
        self.assertEqual(results["comparisons"], [{
            "tessera": "ipc_roundtrip_cross_as", "tessera_median_cycles": 312,
            "tessera_unit": "instructions", "linux": "pipe_roundtrip",
            "linux_median_cycles": 15600, "linux_unit": "cycles", "linux_over_tessera": None,
            "note": report.NEAREST_LINUX["ipc_roundtrip_cross_as"][1]}])
        markdown = report_markdown.render(results)
        self.assertIn("median instructions", markdown)
        self.assertIn("**Units differ:**", markdown)
        row = [line for line in markdown.splitlines()
               if line.startswith("| `ipc_roundtrip_cross_as` | 312 | `pipe_roundtrip`")]
        self.assertEqual(len(row), 1)
        self.assertEqual(row[0].count("|"), 6)   # five cells: no ratio column under icount

    def test_kvm_gives_nanoseconds_from_kernel_tsc_and_ratio_to_nearest_linux(self):
        log = CXX_LINE + "\nBENCH-TSC hz=2000000000\nBENCH-END results=1"
        results = report.merge(parse(log), linux_baseline(), "kvm", "test", date="D", machine="M")
        tessera = results["results"][0]
        self.assertEqual(tessera["median_ns"], 156.0)   # 312 ticks at the kernel's 2 GHz
        self.assertEqual(results["comparisons"], [{
            "tessera": "ipc_roundtrip_cross_as", "tessera_median_cycles": 312,
            "tessera_unit": "cycles", "linux": "pipe_roundtrip", "linux_median_cycles": 15600,
            "linux_unit": "cycles", "linux_over_tessera": 50.0,
            "note": report.NEAREST_LINUX["ipc_roundtrip_cross_as"][1]}])
        self.assertIn("50.00x", report_markdown.render(results))

    def test_kvm_without_kernel_tsc_falls_back_to_host_tsc(self):
        results = report.merge(parse(CXX_LINE), linux_baseline(), "kvm", "test")
        self.assertEqual(results["results"][0]["median_ns"], 104.0)   # 312 at 3 GHz

    def test_headline_names_come_first_then_extra_names_in_printed_order(self):
        log = ("BENCH name=zz_extra unit=ticks n=1 min=1 median=1 p90=1 p99=1\n"
               "BENCH name=retype_4k unit=ticks n=1 min=1 median=1 p90=1 p99=1\n"
               "BENCH name=null_syscall unit=ticks n=1 min=1 median=1 p90=1 p99=1\n")
        results = report.merge(parse(log), linux_baseline(), "icount", "test")
        names = [e["name"] for e in results["results"] if e["system"] == "tessera"]
        self.assertEqual(names, ["null_syscall", "retype_4k", "zz_extra"])

    def test_a_guest_figure_carries_its_kernel_to_json_and_markdown(self):
        log = ("BENCH name=vmm.linux_boot_to_init unit=ticks n=1 min=7 median=7 p90=7 p99=7 "
               "max=7 kernel=6.1.0-57-amd64\n" + CXX_LINE + "\nBENCH-END results=2\n")
        run = parse(log)
        self.assertEqual(run.warnings, [])
        self.assertEqual(run.results["vmm.linux_boot_to_init"]["kernel"], "6.1.0-57-amd64")
        self.assertNotIn("kernel", run.results["ipc_roundtrip_cross_as"])
        results = report.merge(run, linux_baseline(), "icount", "test")
        by_name = {e["name"]: e for e in results["results"] if e["system"] == "tessera"}
        self.assertEqual(by_name["vmm.linux_boot_to_init"]["kernel"], "6.1.0-57-amd64")
        self.assertNotIn("kernel", by_name["ipc_roundtrip_cross_as"])
        self.assertIn("| `vmm.linux_boot_to_init` (Linux 6.1.0-57-amd64) | 1 |",
                      report_markdown.render(results))

    def test_incomplete_run_is_flagged_in_markdown(self):
        results = report.merge(parse(CXX_LINE), linux_baseline(), "icount", "test")
        self.assertIn("**Warning:**", report_markdown.render(results))


class MainTest(unittest.TestCase):
    def test_writes_both_files(self):
        with tempfile.TemporaryDirectory() as directory:
            linux_path = os.path.join(directory, "linux.json")
            log_path = os.path.join(directory, "serial.log")
            with open(linux_path, "w", encoding="utf-8") as file:
                json.dump(linux_baseline(), file)
            with open(log_path, "w", encoding="utf-8") as file:
                file.write(CXX_LINE + "\nBENCH-END results=1\n")
            out = os.path.join(directory, "out")
            self.assertEqual(report.main(["--linux", linux_path, "--out-dir", out,
                                          "--mode", "icount", log_path]), 0)
            with open(os.path.join(out, "results.json"), encoding="utf-8") as file:
                written = json.load(file)
            self.assertEqual(written["mode"], "icount")
            self.assertEqual(written["in_system"]["status"], "complete")
            self.assertTrue(os.path.exists(os.path.join(out, "results.md")))

    def test_missing_in_system_log_fails(self):
        with tempfile.TemporaryDirectory() as directory:
            linux_path = os.path.join(directory, "linux.json")
            with open(linux_path, "w", encoding="utf-8") as file:
                json.dump(linux_baseline(), file)
            self.assertEqual(report.main(["--linux", linux_path, "--out-dir", directory,
                                          "--mode", "kvm", os.path.join(directory, "no.log")]), 1)


def fs_comparison(status="complete"):
    """What bench/fs/linux/run_fs_linux_bench.py writes, cut to what the report reads."""
    return {
        "date": "2026-12-06T20:00:00Z", "loops": 5, "status": status, "mode": "icount",
        "unit": "instructions", "kernel": {"package": "linux-image-6.1.0-57-amd64"},
        "failures": [], "error": None if status == "complete" else "the guest did not boot",
        "comparison": [
            {"name": "fs.read_1mib_cold", "tessera_median": 2_000_000,
             "linux_median": 3_000_000.0, "linux_idle_ns": 0, "ratio": 0.667,
             "tessera_elapsed_median": 4_500_000, "elapsed_ratio": 1.5},
            {"name": "fs.unlink_1000", "tessera_median": 30_000_000,
             "linux_median": 20_000_000.0, "linux_idle_ns": 0, "ratio": 1.5},
        ],
        "cold_read_per_4k": {"tessera": 7812.5, "linux": 11718.8, "ratio": 0.667, "aim": 1.25,
                             "tessera_elapsed": 17578.1, "elapsed_ratio": 1.5},
    }


class FileSystemReportTest(unittest.TestCase):
    def test_the_comparison_and_the_cold_read_aim_reach_results_md(self):
        results = report.merge(parse(""), linux_baseline(), "icount", "test",
                               filesystem=fs_comparison())
        self.assertEqual(results["filesystem"]["cold_read_per_4k"]["ratio"], 0.667)
        markdown = report_markdown.render(results)
        self.assertIn("## File system beside Linux's ext2", markdown)
        self.assertIn("| `fs.read_1mib_cold` | 2,000,000 | 3,000,000.0 | 0.67 | 4,500,000 | 1.50 |",
                      markdown)
        self.assertIn("| `fs.unlink_1000` | 30,000,000 | 20,000,000.0 | 1.50 | – | – |", markdown)
        self.assertIn("ratio 0.67 (within the aim of 1.25 times Linux's); with the wait, Tessera "
                      "17,578.1, ratio 1.50 (over the aim).", markdown)

    def test_a_cold_read_over_the_aim_says_over(self):
        document = fs_comparison()
        document["cold_read_per_4k"]["ratio"] = 1.4
        markdown = report_markdown.render(report.merge(parse(""), linux_baseline(), "icount",
                                                       "test", filesystem=document))
        self.assertIn("(over the aim of 1.25 times Linux's)", markdown)

    def test_without_the_file_says_not_run(self):
        results = report.merge(parse(""), linux_baseline(), "icount", "test")
        self.assertEqual(results["filesystem"]["status"], "not_run")
        self.assertIn("no file-system comparison was given", report_markdown.render(results))

    def test_a_failed_linux_side_is_flagged(self):
        results = report.merge(parse(""), linux_baseline(), "icount", "test",
                               filesystem=fs_comparison("failed"))
        self.assertIn("the guest did not boot", report_markdown.render(results))

    def test_main_reads_the_file_and_refuses_another_document(self):
        with tempfile.TemporaryDirectory() as directory:
            linux_path = os.path.join(directory, "linux.json")
            fs_path = os.path.join(directory, "fs_linux.json")
            with open(linux_path, "w", encoding="utf-8") as file:
                json.dump(linux_baseline(), file)
            with open(fs_path, "w", encoding="utf-8") as file:
                json.dump(fs_comparison(), file)
            out = os.path.join(directory, "out")
            self.assertEqual(report.main(["--linux", linux_path, "--out-dir", out, "--mode",
                                          "icount", "--fs-linux", fs_path]), 0)
            with open(os.path.join(out, "results.md"), encoding="utf-8") as file:
                self.assertIn("fs.read_1mib_cold", file.read())
            self.assertEqual(report.main(["--linux", linux_path, "--out-dir", out, "--mode",
                                          "icount", "--fs-linux", linux_path]), 1)


class ModeTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def cpuinfo(self, flags):
        path = os.path.join(self.directory.name, "cpuinfo")
        with open(path, "w", encoding="utf-8") as file:
            file.write(f"processor\t: 0\nflags\t\t: fpu tsc {flags}\n")
        return path

    def device(self):
        path = os.path.join(self.directory.name, "kvm")
        open(path, "w", encoding="utf-8").close()
        return path

    def test_hardware_virtualisation_and_usable_device_give_kvm(self):
        for flag in ("vmx", "svm"):
            chosen, _ = mode.choose({}, self.cpuinfo(flag), self.device())
            self.assertEqual(chosen, "kvm")

    def test_no_vmx_or_svm_gives_icount_even_with_a_device(self):
        chosen, reason = mode.choose({}, self.cpuinfo("hypervisor"), self.device())
        self.assertEqual(chosen, "icount")
        self.assertIn("vmx", reason)

    def test_unusable_device_gives_icount(self):
        missing = os.path.join(self.directory.name, "absent")
        self.assertEqual(mode.choose({}, self.cpuinfo("svm"), missing)[0], "icount")

    def test_override_wins_and_bad_override_is_an_error(self):
        self.assertEqual(mode.choose({"TESSERA_BENCH_MODE": "kvm"}, self.cpuinfo(""),
                                     self.device())[0], "kvm")
        with self.assertRaises(ValueError):
            mode.choose({"TESSERA_BENCH_MODE": "tcg"}, self.cpuinfo(""), self.device())

    def test_launch_arguments(self):
        self.assertEqual(mode.launch_arguments("icount"), ["--icount"])
        self.assertEqual(mode.launch_arguments("kvm"), ["--accel", "kvm"])


if __name__ == "__main__":
    unittest.main()
