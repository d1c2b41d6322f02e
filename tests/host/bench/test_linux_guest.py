"""Tests of the Linux-guest harness's parts that need no QEMU and no network: the initramfs
format, the module order, init's command list and markers, the QEMU command line and the kernel
package's resolution from apt's answers (bench/linux/guest)."""

import gzip
import json
import os
import stat
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench", "linux", "guest"))
import guest_lines  # noqa: E402
import initramfs  # noqa: E402
import kernel_package  # noqa: E402
import linux_guest  # noqa: E402
import run_linux_bench  # noqa: E402


class InitramfsTest(unittest.TestCase):
    def test_entries_read_back_with_modes_data_and_device_numbers(self):
        archive = initramfs.Initramfs()
        archive.directory("dev")
        archive.character_device("dev/console", 5, 1)
        archive.file("init", b"\x7fELF odd length", 0o755)
        archive.symlink("sh", "init")
        entries = initramfs.parse(gzip.decompress(archive.compressed()))
        self.assertEqual([e[0] for e in entries], ["dev", "dev/console", "init", "sh"])
        self.assertTrue(stat.S_ISDIR(entries[0][1]))
        self.assertEqual((stat.S_ISCHR(entries[1][1]), entries[1][3], entries[1][4]), (True, 5, 1))
        self.assertEqual((entries[2][1] & 0o777, entries[2][2]), (0o755, b"\x7fELF odd length"))
        self.assertEqual((stat.S_ISLNK(entries[3][1]), entries[3][2]), (True, b"init"))

    def test_every_header_and_data_starts_four_byte_aligned(self):
        archive = initramfs.Initramfs()
        for length in range(1, 9):
            archive.file("f" * length, b"x" * length)
        raw = archive.archive()
        offset = 0
        for _ in range(9):   # 8 files and the trailer
            self.assertEqual(offset % 4, 0)
            self.assertEqual(raw[offset:offset + 6], initramfs.MAGIC)
            name_size = int(raw[offset + 94:offset + 102], 16)
            size = int(raw[offset + 54:offset + 62], 16)
            data = offset + 110 + name_size
            data += -data % 4
            offset = data + size + (-(data + size) % 4)
        self.assertEqual(offset, len(raw))

    def test_the_same_contents_give_the_same_bytes(self):
        def build():
            archive = initramfs.Initramfs()
            archive.file("a", b"1")
            return archive.compressed()
        self.assertEqual(build(), build())

    def test_refuses_duplicates_orphans_and_escapes(self):
        archive = initramfs.Initramfs()
        archive.directory("bin")
        with self.assertRaises(ValueError):
            archive.directory("bin")
        with self.assertRaises(ValueError):
            archive.file("lib/x.ko", b"")
        with self.assertRaises(ValueError):
            archive.file("bin/../init", b"")
        with self.assertRaises(ValueError):
            archive.file("TRAILER!!!", b"")


def fake_package(modules):
    description = {"package": "linux-image-9.9.9-1-amd64", "version": "9.9.9-1",
                   "release": "9.9.9-1-amd64", "sha256": "0" * 64, "vmlinuz": "boot/vmlinuz",
                   "config": "boot/config", "deb": "x.deb",
                   "modules": {name: {"member": f"./lib/{name}.ko", "depends": depends}
                               for name, depends in modules.items()}}
    return kernel_package.KernelPackage("/nonexistent", description)


# The dependencies Debian 6.1's modules declare in their .modinfo.
DEBIAN_6_1 = {
    "virtio_ring": [], "virtio": ["virtio_ring"], "virtio_pci_modern_dev": [],
    "virtio_pci_legacy_dev": [],
    "virtio_pci": ["virtio_ring", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio"],
    "virtio_blk": ["virtio", "virtio_ring"], "crc16": [], "mbcache": [], "jbd2": [],
    "crc32c_generic": [], "ext4": ["jbd2", "mbcache", "crc16"],
}


class ModuleOrderTest(unittest.TestCase):
    def test_default_set_loads_in_the_issues_order(self):
        order = fake_package(DEBIAN_6_1).module_order(linux_guest.DEFAULT_MODULES)
        self.assertEqual(order, ["virtio_ring", "virtio", "virtio_pci_modern_dev",
                                 "virtio_pci_legacy_dev", "virtio_pci", "virtio_blk", "crc16",
                                 "mbcache", "jbd2", "crc32c_generic", "ext4"])

    def test_dependencies_come_first_whatever_the_request_order(self):
        order = fake_package(DEBIAN_6_1).module_order(["ext4", "virtio_blk"])
        for module, depends in DEBIAN_6_1.items():
            for dependency in depends:
                if module in order:
                    self.assertLess(order.index(dependency), order.index(module))
        self.assertEqual(len(order), len(set(order)))

    def test_dashes_and_underscores_name_the_same_module(self):
        self.assertEqual(fake_package(DEBIAN_6_1).module_order(["virtio-ring"]), ["virtio_ring"])

    def test_unknown_module_and_cycle_are_errors(self):
        with self.assertRaisesRegex(kernel_package.KernelPackageError, "no module 'nope'"):
            fake_package(DEBIAN_6_1).module_order(["nope"])
        with self.assertRaisesRegex(kernel_package.KernelPackageError, "cycle"):
            fake_package({"a": ["b"], "b": ["a"]}).module_order(["a"])

    def test_modinfo_depends_field_is_read(self):
        module = b"\x7fELF...\0license=GPL\0depends=jbd2,mbcache,crc16\0retpoline=Y\0"
        self.assertEqual(kernel_package._modinfo_depends(module), ["jbd2", "mbcache", "crc16"])
        self.assertEqual(kernel_package._modinfo_depends(b"\0depends=\0name=x\0"), [])
        self.assertEqual(kernel_package._modinfo_depends(b"no modinfo"), [])


class ResolveVersionTest(unittest.TestCase):
    def setUp(self):
        self.saved = kernel_package._run_apt

    def tearDown(self):
        kernel_package._run_apt = self.saved

    def answer(self, stdout, returncode=0):
        class Answer:
            pass
        answer = Answer()
        answer.stdout, answer.stderr, answer.returncode = stdout, "", returncode
        kernel_package._run_apt = lambda arguments, directory=None: answer

    def test_metapackage_names_the_versioned_package(self):
        self.answer("Package: linux-image-amd64\nVersion: 6.1.192-3\n"
                    "Depends: linux-image-6.1.0-57-amd64 (= 6.1.192-3)\n")
        self.assertEqual(kernel_package.resolve_version(),
                         ("linux-image-6.1.0-57-amd64", "6.1.192-3"))

    def test_unversioned_dependency_is_an_error(self):
        self.answer("Package: linux-image-amd64\nDepends: something-else\n")
        with self.assertRaises(kernel_package.KernelPackageError):
            kernel_package.resolve_version()

    def test_pinned_package_that_does_not_exist_is_an_error(self):
        with tempfile.TemporaryDirectory() as cache:
            with self.assertRaisesRegex(kernel_package.KernelPackageError, "does not exist"):
                kernel_package.obtain(cache, environ={
                    kernel_package.PACKAGE_FILE_VARIABLE: os.path.join(cache, "missing.deb")})


class CacheTest(unittest.TestCase):
    def cache_with(self, cache, versions):
        for version in versions:
            directory = os.path.join(cache, f"linux-image-x_{version}")
            os.makedirs(directory)
            description = {"format": kernel_package.INDEX_FORMAT, "package": "linux-image-x",
                           "version": version, "release": "r", "sha256": "0", "deb": "x.deb",
                           "vmlinuz": "boot/v", "config": "boot/c", "modules": {}}
            with open(os.path.join(directory, "description.json"), "w") as file:
                json.dump(description, file)

    def test_newest_version_is_the_fallback_and_old_ones_are_pruned(self):
        with tempfile.TemporaryDirectory() as cache:
            self.cache_with(cache, ["6.1.176-1", "6.1.192-3", "6.1.99-1"])
            os.makedirs(os.path.join(cache, "half-unpacked"))   # no description: ignored
            newest = kernel_package._newest_cached(cache)
            self.assertEqual(newest.version, "6.1.192-3")
            kernel_package._prune(cache, newest)
            left = sorted(k.version for k in kernel_package._cached_by_version(cache))
            self.assertEqual(left, ["6.1.176-1", "6.1.192-3"])


class CommandsAndMarkersTest(unittest.TestCase):
    def test_commands_are_nul_separated_and_empty_terminated(self):
        self.assertEqual(linux_guest.encode_commands([["/bin/a", "x y"], ["/bin/b"]]),
                         b"/bin/a\0x y\0\0/bin/b\0\0")
        for bad in ([[]], [["/bin/a", ""]], [["/bin/a\0"]]):
            with self.assertRaises(linux_guest.GuestError):
                linux_guest.encode_commands(bad)

    def result(self, output, timed_out=False):
        return linux_guest.GuestResult(output, "", timed_out, 0, {"release": "r"}, "icount", [])

    def test_markers_become_statuses_and_leave_the_output(self):
        result = self.result("LINUX-GUEST-BEGIN release=6.1.0-57-amd64 modules=11 disks=1\n"
                             "first\nLINUX-GUEST-EXIT index=0 status=0\nsecond\n"
                             "LINUX-GUEST-EXIT index=1 status=7\nLINUX-GUEST-END status=7\n")
        self.assertEqual(result.release, "6.1.0-57-amd64")
        self.assertEqual(result.command_statuses, [0, 7])
        self.assertEqual(result.status, 7)
        self.assertEqual(result.output, "first\nsecond\n")
        self.assertFalse(result.ok)
        self.assertIsNone(result.init_tsc)

    def test_init_tsc_is_read_from_the_begin_line(self):
        result = self.result("LINUX-GUEST-BEGIN release=r modules=0 disks=0 init_tsc=123456789\n"
                             "LINUX-GUEST-END status=0\n")
        self.assertEqual(result.init_tsc, 123456789)
        self.assertTrue(result.ok)

    def test_a_run_without_end_line_or_cut_short_is_not_ok(self):
        with self.assertRaisesRegex(linux_guest.GuestError, "without init's END"):
            self.result("LINUX-GUEST-BEGIN release=r modules=0 disks=0\n").check()
        with self.assertRaisesRegex(linux_guest.GuestError, "timed out"):
            self.result("LINUX-GUEST-END status=0\n", timed_out=True).check()
        self.assertTrue(self.result("LINUX-GUEST-END status=0\n").check().ok)


class GuestLinesTest(unittest.TestCase):
    def test_reads_figures_failures_and_clock(self):
        figures = guest_lines.parse(
            "LINUX-BENCH-CLOCK source=tsc tsc_per_ns=1.000001\n"
            "LINUX-BENCH name=pipe_roundtrip unit=ns iterations=10000 loops=5 min=10428.8 "
            "median=10449.9 max=13040.3 idle_ns=0\n"
            "LINUX-BENCH-FAILED name=futex_roundtrip error=Resource temporarily unavailable\n")
        self.assertEqual(figures.clocksource, "tsc")
        self.assertEqual(figures.tsc_per_ns, 1.000001)
        self.assertEqual(figures.results, [{
            "name": "pipe_roundtrip", "unit": "ns", "iterations": 10000, "loops": 5,
            "min": 10428.8, "median": 10449.9, "max": 13040.3, "idle_ns": 0}])
        self.assertEqual(figures.failures, [{"name": "futex_roundtrip",
                                             "error": "Resource temporarily unavailable"}])

    def test_malformed_lines_are_warnings_not_figures(self):
        figures = guest_lines.parse(
            "LINUX-BENCH name=a unit=ns iterations=1 loops=1 min=5 median=2 max=9 idle_ns=0\n"
            "LINUX-BENCH name=Bad unit=ns iterations=1 loops=1 min=1 median=1 max=1 idle_ns=0\n"
            "LINUX-BENCH name=b unit=ns iterations=x loops=1 min=1 median=1 max=1 idle_ns=0\n"
            "LINUX-BENCH name=c unit=ns iterations=1 loops=1 min=1 median=1 idle_ns=0\n")
        self.assertEqual(figures.results, [])
        self.assertEqual(len(figures.warnings), 4)


class SameProgramFiguresTest(unittest.TestCase):
    OUTPUT = ("LINUX-BENCH name=null_syscall unit=ns iterations=1 loops=1 min=1 median=1 max=1 "
              "idle_ns=0\n"
              "BENCH name=posix.getppid unit=ticks n=100 min=380 median=402 p90=410 p99=500 "
              "max=900\n"
              "BENCH name=posix.fork_exit_wait unit=ticks n=10 min=9 median=8 p90=1 p99=1 max=1\n"
              "BENCH-END results=2\n")

    def test_bench_lines_become_entries_and_bad_ones_warnings(self):
        entries, warnings = guest_lines.same_program_figures(self.OUTPUT, "bench_posix")
        self.assertEqual(entries, [{"name": "posix.getppid", "unit": "ticks", "iterations": 100,
                                    "loops": 1, "min": 380.0, "median": 402.0, "max": 900.0,
                                    "idle_ns": 0}])
        self.assertEqual(len(warnings), 2)   # the unordered line, BENCH-END's count
        self.assertIn("BENCH-END says 2 results, 1 read", warnings[1])

    def test_ticks_are_instructions_under_icount_and_scaled_to_ns_under_kvm(self):
        entries, _ = guest_lines.same_program_figures(self.OUTPUT, "bench_posix")
        icount = run_linux_bench.ticks_in_unit(entries, "icount", None, [])
        self.assertEqual((icount[0]["unit"], icount[0]["median"]), ("instructions", 402.0))
        kvm = run_linux_bench.ticks_in_unit(entries, "kvm", 2.0, [])
        self.assertEqual((kvm[0]["unit"], kvm[0]["median"], kvm[0]["max"]), ("ns", 201.0, 450.0))
        warnings = []
        self.assertEqual(run_linux_bench.ticks_in_unit(entries, "kvm", None, warnings), [])
        self.assertEqual(len(warnings), 1)


class QemuCommandTest(unittest.TestCase):
    def test_icount_mode_is_the_benchmarks_machine_with_disks_in_order(self):
        disks = [linux_guest.Disk("/d/a.img", read_only=True), linux_guest.Disk.parse("/d/b.img")]
        command = linux_guest.qemu_command("vmlinuz", "initrd", "c.log", "o.log", disks, "512M",
                                           "icount", "extra=1")
        text = " ".join(command)
        self.assertIn("-accel tcg -cpu max -icount shift=0", text)
        self.assertIn("-m 512M", text)
        self.assertIn("-serial file:c.log -serial file:o.log", text)
        self.assertIn("file=/d/a.img,format=raw,if=none,id=disk0,readonly=on", text)
        self.assertIn("file=/d/b.img,format=raw,if=none,id=disk1 ", text)
        self.assertLess(text.index("drive=disk0"), text.index("drive=disk1"))
        self.assertTrue(command[command.index("-append") + 1].endswith(" extra=1"))

    def test_kvm_mode_has_no_icount_and_bad_options_are_refused(self):
        command = linux_guest.qemu_command("k", "i", "c", "o", [], "1G", "kvm")
        self.assertNotIn("-icount", command)
        with self.assertRaises(linux_guest.GuestError):
            linux_guest.qemu_command("k", "i", "c", "o", [], "1G", "tcg")
        with self.assertRaises(linux_guest.GuestError):
            linux_guest.Disk.parse("/d/a.img,rw")


if __name__ == "__main__":
    unittest.main()
