"""Unit tests of scripts/kernels.py: kernel names, the seL4 folder, telling seL4 from Tessera."""

import os
import struct
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import kernels  # noqa: E402
import launch  # noqa: E402


def elf32_with_symbols(names):
    """A minimal 32-bit ELF: header, a symbol table naming `names`, its string table."""
    strings = b"\0" + b"".join(name.encode() + b"\0" for name in names)
    symbols = bytes(16)   # the null symbol
    at = 1
    for name in names:
        symbols += struct.pack("<IIIBBH", at, 0x1000, 0, 0x12, 0, 1)
        at += len(name) + 1
    symtab_offset = 52
    strtab_offset = symtab_offset + len(symbols)
    shoff = strtab_offset + len(strings)
    shoff += (4 - shoff % 4) % 4
    header = b"\x7fELF\x01\x01\x01" + bytes(9)
    header += struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0x100000, 0, shoff, 0, 52, 32, 0, 40, 3, 0)
    body = header + symbols + strings
    body += bytes(shoff - len(body))
    sections = bytes(40)
    sections += struct.pack("<IIIIIIIIII", 0, 2, 0, 0, symtab_offset, len(symbols), 2, 1, 4, 16)
    sections += struct.pack("<IIIIIIIIII", 0, 3, 0, 0, strtab_offset, len(strings), 0, 0, 1, 0)
    return body + sections


class KernelFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def file(self, name, data):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as out:
            out.write(data)
        return path

    def test_sel4_debug_is_told_by_its_printing_symbol(self):
        path = self.file("k.elf", elf32_with_symbols(["boot_sys", "ksCurThread", "kernel_putDebugChar"]))
        self.assertEqual(kernels.flavour(path), kernels.FLAVOUR_SEL4_DEBUG)

    def test_sel4_release_has_no_printing_symbol(self):
        path = self.file("k.elf", elf32_with_symbols(["boot_sys", "ksCurThread", "main"]))
        self.assertEqual(kernels.flavour(path), kernels.FLAVOUR_SEL4_RELEASE)

    def test_anything_else_is_tessera(self):
        self.assertEqual(kernels.flavour(self.file("t.elf", elf32_with_symbols(["kernel_main"]))),
                         kernels.FLAVOUR_TESSERA)
        self.assertEqual(kernels.flavour(self.file("junk", b"not an elf")), kernels.FLAVOUR_TESSERA)
        self.assertEqual(kernels.flavour("/nonexistent/kernel"), kernels.FLAVOUR_TESSERA)

    def test_truncated_section_table_is_not_a_crash(self):
        data = elf32_with_symbols(["boot_sys", "ksCurThread"])
        self.assertEqual(kernels.flavour(self.file("cut.elf", data[:-20])), kernels.FLAVOUR_TESSERA)

    def test_the_reference_binaries_when_present(self):
        folder = kernels.sel4_directory()
        if folder is None:
            self.skipTest("no ../shared/sel4 here")
        self.assertEqual(kernels.flavour(os.path.join(folder, "kernel-debug.elf")),
                         kernels.FLAVOUR_SEL4_DEBUG)
        self.assertEqual(kernels.flavour(os.path.join(folder, "kernel-release.elf")),
                         kernels.FLAVOUR_SEL4_RELEASE)
        self.assertEqual(kernels.flavour(os.path.join(folder, "kernel-bench.elf")),
                         kernels.FLAVOUR_SEL4_RELEASE)


class KernelNames(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.root = self.dir.name

    def make(self, *parts):
        path = os.path.join(self.root, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    def test_tessera_and_no_name_mean_the_build_tree_kernel(self):
        self.assertEqual(kernels.resolve(None, "out"), os.path.join("out", "kernel", "tessera.elf"))
        self.assertEqual(kernels.resolve("tessera", "out"), os.path.join("out", "kernel", "tessera.elf"))

    def test_tessera_release_is_the_build_trees_release_kernel(self):
        self.assertEqual(kernels.resolve("tessera-release", "out"),
                         os.path.join("out", "kernel", "tessera-release.elf"))
        self.assertIn("tessera-release", kernels.NAMES)

    def test_a_path_is_kept(self):
        self.assertEqual(kernels.resolve("my/kernel.elf", "out"), "my/kernel.elf")

    def test_sel4_names_are_found_beside_the_repository(self):
        repo = self.make("checkout")
        shared = self.make("shared", "sel4")
        self.assertEqual(kernels.resolve("sel4-debug", "b", environ={}, repo=repo),
                         os.path.join(os.path.normpath(shared), "kernel-debug.elf"))
        self.assertEqual(kernels.resolve("sel4-release", "b", environ={}, repo=repo),
                         os.path.join(os.path.normpath(shared), "kernel-release.elf"))

    def test_a_worktree_finds_the_folder_beside_its_main_checkout(self):
        main = self.make("main")
        self.make("main", ".git", "worktrees", "wt")
        shared = self.make("shared", "sel4")
        worktree = self.make("elsewhere", "wt")
        with open(os.path.join(worktree, ".git"), "w", encoding="utf-8") as file:
            file.write(f"gitdir: {os.path.join(main, '.git', 'worktrees', 'wt')}\n")
        self.assertEqual(kernels.sel4_directory(environ={}, repo=worktree), os.path.normpath(shared))

    def test_the_environment_wins(self):
        chosen = self.make("mine")
        self.make("shared", "sel4")
        repo = self.make("checkout")
        self.assertEqual(kernels.sel4_directory(environ={"TESSERA_SEL4_DIR": chosen}, repo=repo),
                         os.path.normpath(chosen))

    def test_no_folder_is_a_clear_error(self):
        repo = self.make("lonely", "checkout")
        self.assertIsNone(kernels.sel4_directory(environ={}, repo=repo))
        with self.assertRaisesRegex(kernels.KernelError, "TESSERA_SEL4_DIR"):
            kernels.resolve("sel4-debug", "b", environ={}, repo=repo)


class LauncherChoices(unittest.TestCase):
    """What launch.py does differently for an seL4 kernel."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.sel4 = os.path.join(self.dir.name, "k.elf")
        with open(self.sel4, "wb") as out:
            out.write(elf32_with_symbols(["boot_sys", "ksCurThread", "kernel_putDebugChar"]))

    def command(self, *argv, accel_name="tcg"):
        options = launch.parse_arguments(list(argv))
        return launch.build_command(options, accel_name)[0]

    def test_sel4_gets_its_own_cpu_model_under_both_accelerators(self):
        for accel_name in ("tcg", "kvm"):
            command = self.command("--kernel", self.sel4, accel_name=accel_name)
            self.assertEqual(command[command.index("-cpu") + 1], kernels.SEL4_CPU)

    def test_an_explicit_cpu_model_wins(self):
        command = self.command("--kernel", self.sel4, "--cpu", "max")
        self.assertEqual(command[command.index("-cpu") + 1], "max")

    def test_memory_is_the_same_for_both_kernels(self):
        sel4 = self.command("--kernel", self.sel4)
        tessera = self.command()
        self.assertEqual(sel4[sel4.index("-m") + 1], tessera[tessera.index("-m") + 1])


if __name__ == "__main__":
    unittest.main()
