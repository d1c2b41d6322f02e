#!/usr/bin/env python3
"""The verdicts of run_shell_script.py on outputs made up to pass and to fail."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_shell_script as checker  # noqa: E402

BOOT = "tessera: booting\r\nloader: removed itself\r\nserial_virt: 1 clients\r\n"


class TranscriptTest(unittest.TestCase):
    def test_transcript_starts_at_the_first_prompt_and_keeps_everything_after_it(self):
        output = BOOT + "$ a\r\nb\r\n$ "
        self.assertEqual(checker.transcript_of(output), "$ a\nb\n$ ")
        self.assertEqual(checker.transcript_of(output + "tessera: late line\r\n"),
                         "$ a\nb\n$ tessera: late line\n")

    def test_prompts_of_leading_empty_lines_count_as_one(self):
        self.assertEqual(checker.transcript_of(BOOT + "$ $ $ a\r\n$ "), "$ a\n$ ")
        self.assertEqual(checker.transcript_of(BOOT + "$ a\r\n$ $ "), "$ a\n$ $ ")

    def test_what_the_shell_says_before_its_first_prompt_is_part_of_it(self):
        output = BOOT + "ext2: cannot mount\r\nshell: no file system: why\r\n$ "
        self.assertEqual(checker.transcript_of(output), "shell: no file system: why\n$ ")

    def test_no_prompt_means_no_transcript(self):
        self.assertIsNone(checker.transcript_of(BOOT + "tessera: thread 'shell' faulted\r\n"))

    def test_equal_transcripts_match(self):
        self.assertIsNone(checker.compare("$ a\n$ ", "$ a\n$ "))

    def test_a_kernel_line_inside_the_transcript_is_a_difference(self):
        self.assertIsNotNone(checker.compare("$ a\n$ ", "$ a\ntessera: no runnable thread: idle\n$ "))

    def test_a_missing_line_is_a_difference(self):
        self.assertIsNotNone(checker.compare("$ a\nb\n$ ", "$ a\n$ "))

    def test_wildcard_matches_any_text_but_only_on_its_line(self):
        self.assertIsNone(checker.compare("modified: {*}\n$ ", "modified: 2026-12-06 10:00:00\n$ "))
        self.assertIsNotNone(checker.compare("modified: {*}\n$ ", "changed: 2026\n$ "))


if __name__ == "__main__":
    unittest.main()
