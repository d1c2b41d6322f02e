#!/usr/bin/env python3
"""Tests of abi/gen/generate.py itself: numbering under other configurations, packing rules and
rejection of malformed descriptions. Run by ctest; standard library only."""

import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GENERATOR = os.path.join(ROOT, "abi", "gen", "generate.py")
DEFS = os.path.join(ROOT, "abi", "invocations")

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(GENERATOR))
import generate  # noqa: E402


def numbers(enabled=()):
    return {m.label: m.number for m in generate.load(DEFS, set(enabled))}


class Numbering(unittest.TestCase):
    def test_default_configuration_matches_pinned_table(self):
        n = numbers()
        self.assertEqual(n["UntypedRetype"], 1)
        self.assertEqual(n["CNodeRevoke"], 17)
        self.assertEqual(n["X86PDPTMap"], 33)
        self.assertEqual(n["X86PageMap"], 39)
        self.assertEqual(n["X86IRQIssueIRQHandlerMSI"], 52)

    def test_iommu_inserts_io_page_table_and_map_io_labels(self):
        # An independent libsel4-derived listing for an IOMMU build numbers these 39..44 and
        # the IRQ labels 54 and 55; enabling CONFIG_IOMMU here must reproduce it.
        n = numbers(["CONFIG_IOMMU"])
        self.assertEqual(n["X86IOPageTableMap"], 39)
        self.assertEqual(n["X86IOPageTableUnmap"], 40)
        self.assertEqual(n["X86PageMap"], 41)
        self.assertEqual(n["X86PageMapIO"], 43)
        self.assertEqual(n["X86PageGetAddress"], 44)
        self.assertEqual(n["X86IOPortIn8"], 48)
        self.assertEqual(n["X86IRQIssueIRQHandlerIOAPIC"], 54)
        self.assertEqual(n["X86IRQIssueIRQHandlerMSI"], 55)

    def test_smp_inserts_set_affinity_before_tls_base(self):
        n = numbers(["CONFIG_ENABLE_SMP_SUPPORT"])
        self.assertEqual(n["TCBSetAffinity"], 15)
        self.assertEqual(n["TCBSetTLSBase"], 16)
        self.assertEqual(n["CNodeRevoke"], 18)


class Packing(unittest.TestCase):
    def method(self, label):
        return next(m for m in generate.load(DEFS, set()) if m.label == label)

    def test_bool_is_one_bit_and_uint8_aligns_to_eight(self):
        m = self.method("TCBCopyRegisters")
        bits = {p.name: p.first_bit for p in m.in_words()}
        self.assertEqual(bits, {"suspend_source": 0, "resume_target": 1, "transfer_frame": 2,
                                "transfer_integer": 3, "arch_flags": 8})

    def test_word_after_narrow_argument_starts_a_new_word(self):
        m = self.method("CNodeCopy")
        words = {p.name: p.word for p in m.in_words()}
        self.assertEqual(words, {"dest_index": 0, "dest_depth": 1, "src_index": 2,
                                 "src_depth": 3, "rights": 4})


class Rejection(unittest.TestCase):
    def run_with(self, generic_text):
        with tempfile.TemporaryDirectory() as folder:
            for name, text in (("generic", generic_text), ("x86_64", ""), ("x86", "")):
                with open(os.path.join(folder, name + ".def"), "w") as f:
                    f.write(text)
            return subprocess.run([sys.executable, GENERATOR, "--defs", folder, "--list"],
                                  capture_output=True, text=True)

    def test_unknown_type_names_file_and_line(self):
        result = self.run_with("interface seL4_TCB\nmethod TCBX X\n  in a seL4_Nonsense\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("generic.def:3", result.stderr)

    def test_duplicate_label_is_rejected(self):
        result = self.run_with("interface seL4_TCB\nmethod TCBX X\nmethod TCBX Y\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("duplicate", result.stderr)

    def test_too_many_caps_is_rejected(self):
        text = "interface seL4_TCB\nmethod TCBX X\n" + "".join(
            "  in c%d seL4_CPtr\n" % i for i in range(4))
        result = self.run_with(text)
        self.assertNotEqual(result.returncode, 0)


class TesseraLayer(unittest.TestCase):
    def test_svm_vcpu_methods_keep_the_numbers_svm_h_gives(self):
        sel4 = generate.load(DEFS, set())
        n = {m.label: m.number for m in generate.load_tessera(DEFS, sel4)}
        self.assertEqual(n, {"X86SVMVCPUSetTCB": 256, "X86SVMVCPUSetNPT": 257,
                             "X86SVMVCPUReadState": 258, "X86SVMVCPUWriteState": 259})
        self.assertLess(max(m.number for m in sel4), 256)

    def test_decoders_only(self):
        with tempfile.TemporaryDirectory() as folder:
            out = {name: os.path.join(folder, name + ".h") for name in ("labels", "client", "decode")}
            subprocess.run([sys.executable, GENERATOR, "--defs", DEFS] +
                           ["--%s=%s" % (k, v) for k, v in out.items()], check=True)
            texts = {k: open(v).read() for k, v in out.items()}
        self.assertIn("struct X86SVMVCPUReadState {", texts["decode"])
        self.assertNotIn("operator()<X86SVMVCPUReadState>", texts["decode"])
        self.assertNotIn("X86SVMVCPU", texts["labels"])
        self.assertNotIn("SVMVCPU", texts["client"])

    def run_with(self, tessera_text):
        with tempfile.TemporaryDirectory() as folder:
            for name, text in (("generic", "interface seL4_TCB\nmethod TCBX X\n"), ("x86_64", ""),
                               ("x86", ""), ("tessera", tessera_text)):
                with open(os.path.join(folder, name + ".def"), "w") as f:
                    f.write(text)
            return subprocess.run([sys.executable, GENERATOR, "--defs", folder, "--list"],
                                  capture_output=True, text=True)

    def test_label_below_the_tessera_range_is_rejected(self):
        result = self.run_with("interface t\nmethod TX X 12\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("below 256", result.stderr)

    def test_method_without_a_number_is_rejected(self):
        result = self.run_with("interface t\nmethod TX X\n")
        self.assertNotEqual(result.returncode, 0)

    def test_label_taken_by_sel4_is_rejected(self):
        result = self.run_with("interface t\nmethod TCBX X 300\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("duplicate", result.stderr)


if __name__ == "__main__":
    unittest.main()
