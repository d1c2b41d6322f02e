"""Tests of bench/system/run_in_system.py with a stand-in launcher: the mode's launch arguments
are passed, a stale log never survives, and only a run that could not boot at all fails."""

import os
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench", "system"))
import run_in_system  # noqa: E402

# Writes its arguments and the given serial text to --serial-file, then exits with STATUS.
FAKE_LAUNCHER = """
import os, sys
args = sys.argv[1:]
log = args[args.index("--serial-file") + 1]
status = int(os.environ["FAKE_STATUS"])
if os.environ.get("FAKE_WRITE", "1") == "1":
    with open(log, "w") as f:
        f.write("ARGS " + " ".join(args) + "\\n" + os.environ.get("FAKE_SERIAL", ""))
sys.exit(status)
"""


class RunInSystemTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.launcher = os.path.join(self.directory.name, "launcher.py")
        with open(self.launcher, "w", encoding="utf-8") as file:
            file.write(FAKE_LAUNCHER)
        self.log = os.path.join(self.directory.name, "out", "in_system.log")
        self.saved = dict(os.environ)
        os.environ["TESSERA_BENCH_MODE"] = "icount"

    def tearDown(self):
        os.environ.clear()
        os.environ.update(self.saved)
        self.directory.cleanup()

    def run_with(self, status, serial="", write=True):
        os.environ["FAKE_STATUS"] = str(status)
        os.environ["FAKE_SERIAL"] = serial
        os.environ["FAKE_WRITE"] = "1" if write else "0"
        return run_in_system.main(["--build", "b", "--root-task", "suite.elf", "--log", self.log,
                                   "--launcher", self.launcher, "--timeout", "5"])

    def read_log(self):
        with open(self.log, encoding="utf-8") as file:
            return file.read()

    def test_boots_with_the_modes_arguments_and_keeps_the_log(self):
        serial = "BENCH name=retype_4k unit=ticks n=1 min=1 median=1 p90=1 p99=1\nBENCH-END results=1\n"
        self.assertEqual(self.run_with(0, serial), 0)
        log = self.read_log()
        self.assertIn("--icount", log.splitlines()[0])
        self.assertIn("--root-task suite.elf", log.splitlines()[0])
        self.assertIn("BENCH-END results=1", log)

    def test_a_crashed_guest_still_leaves_its_log_for_the_report(self):
        self.assertEqual(self.run_with(110, "KERNEL PANIC\n"), 0)
        self.assertIn("KERNEL PANIC", self.read_log())

    def test_a_launch_failure_fails(self):
        self.assertEqual(self.run_with(120, write=False), 1)

    def test_a_stale_log_is_removed_before_the_run(self):
        os.makedirs(os.path.dirname(self.log))
        with open(self.log, "w", encoding="utf-8") as file:
            file.write("BENCH-END results=0\n")
        self.assertEqual(self.run_with(121, write=False), 1)
        self.assertFalse(os.path.exists(self.log))


if __name__ == "__main__":
    unittest.main()
