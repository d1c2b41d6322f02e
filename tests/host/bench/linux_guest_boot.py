#!/usr/bin/env python3
"""Boots the Linux-guest harness once, end to end, and checks what it promises its callers:
Debian's kernel resolved and cached, the virtio and ext4 modules loaded in order (an ext2 image
mounted), a raw disk written in place, idle time found and taken out, every command's status
reported and the run stopped at the first failure, and the Linux benchmark program completing.

Usage: linux_guest_boot.py BUILD_DIR. Needs the Debian archive on first use (the kernel package
is cached under BUILD_DIR/linux-guest afterwards); checks no speed.
"""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(REPO, "bench", "linux", "guest"))
import guest_lines  # noqa: E402
import linux_guest  # noqa: E402

BUILD = None
GREETING = "hello from the host\n"
BENCHMARKS = ("null_syscall", "pipe_roundtrip", "futex_roundtrip", "unix_socket_roundtrip",
              "eventfd_roundtrip", "mmap_munmap_4k")


def pattern():
    return bytes(ord("A") + i % 26 for i in range(4096))


class LinuxGuestBootTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        tree = os.path.join(cls.directory.name, "tree")
        os.makedirs(tree)
        with open(os.path.join(tree, "hello.txt"), "w", encoding="utf-8") as file:
            file.write(GREETING)
        ext2 = os.path.join(cls.directory.name, "ext2.img")
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, ext2, "4M"], check=True)
        cls.raw = os.path.join(cls.directory.name, "raw.img")
        with open(cls.raw, "wb") as file:
            file.truncate(64 * 1024)
        harness = linux_guest.Harness(BUILD)
        selftest = harness.compile("selftest", [os.path.join(HERE, "linux_guest_selftest.c")])
        primitives = harness.compile("linux_primitives", [os.path.join(
            REPO, "bench", "linux", "guest", "programs", "linux_primitives.c")])
        cls.result = harness.run(
            [["/bin/selftest", "ext2", "hello.txt"], ["/bin/selftest", "write-raw"],
             ["/bin/selftest", "idle"],
             ["/bin/linux_primitives", "--iterations", "200", "--loops", "3", "--warmup", "10"],
             ["/bin/selftest", "exit", "3"], ["/bin/selftest", "exit", "0"]],
            programs=[selftest, primitives],
            disks=[linux_guest.Disk(ext2, read_only=True), linux_guest.Disk(cls.raw)],
            mode="icount", timeout=540)
        print(cls.result.output, end="")

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def test_kernel_is_identified(self):
        kernel = self.result.kernel
        self.assertTrue(kernel["package"].startswith("linux-image-"), kernel)
        self.assertTrue(kernel["version"], kernel)
        self.assertEqual(self.result.release, kernel["release"])

    def test_stops_at_first_failure_and_reports_each_status(self):
        self.assertFalse(self.result.timed_out)
        self.assertEqual(self.result.command_statuses, [0, 0, 0, 0, 3])
        self.assertEqual(self.result.status, 3)
        self.assertFalse(self.result.ok)
        with self.assertRaises(linux_guest.GuestError):
            self.result.check()

    def test_modules_load_and_ext2_mounts(self):
        self.assertIn("selftest ext2 content=" + GREETING, self.result.output)
        self.assertIn("selftest ext2 ok", self.result.output)

    def test_raw_disk_is_written_in_place(self):
        self.assertIn("selftest write-raw ok", self.result.output)
        with open(self.raw, "rb") as file:
            file.seek(4096)
            self.assertEqual(file.read(4096), pattern())

    def test_idle_time_is_taken_out(self):
        self.assertIn("selftest idle ok", self.result.output)

    def test_every_linux_benchmark_completes(self):
        lines = [l for l in self.result.output.splitlines() if l.startswith("LINUX-BENCH ")]
        names = [dict(f.split("=", 1) for f in l.split()[1:])["name"] for l in lines]
        self.assertEqual(tuple(names), BENCHMARKS)
        for line in lines:
            fields = dict(f.split("=", 1) for f in line.split()[1:])
            self.assertGreater(float(fields["median"]), 0, line)
        self.assertIn("LINUX-BENCH-END results=6 failed=0", self.result.output)

    def test_a_guest_nanosecond_is_an_instruction_under_icount(self):
        figures = guest_lines.parse(self.result.output)
        self.assertIsNotNone(figures.tsc_per_ns)
        self.assertAlmostEqual(figures.tsc_per_ns, 1.0, delta=0.001)

    def test_program_output_is_not_mixed_with_the_console(self):
        self.assertNotIn("reboot: Power down", self.result.output)
        self.assertIn("reboot: Power down", self.result.console)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    BUILD = sys.argv.pop(1)
    unittest.main(verbosity=2)
