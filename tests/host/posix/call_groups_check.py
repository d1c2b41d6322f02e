#!/usr/bin/env python3
"""The POSIX server's dispatch routes a call number to the group that answered it first
(docs/decisions.md 41): correct only while no number is served by two groups. Each group's
numbers are the `case linux::nr::X` (or `nr::X`) labels of its file (server/calls_*.cc); this fails, naming
them, when a number appears in two files, and when it finds too few numbers to have read them.

    call_groups_check.py SERVER_DIR
"""
import collections
import pathlib
import re
import sys

CASE = re.compile(r"case\s+(?:linux::)?nr::(\w+)\s*:")


def main(argv):
    server = pathlib.Path(argv[1])
    groups = collections.defaultdict(set)
    for source in sorted(server.glob("calls_*.cc")):
        for number in CASE.findall(source.read_text()):
            groups[number].add(source.name)
    if len(groups) < 100:
        print(f"call_groups_check: only {len(groups)} call numbers found in {server}/calls_*.cc")
        return 1
    shared = {number: files for number, files in groups.items() if len(files) > 1}
    for number, files in sorted(shared.items()):
        print(f"call_groups_check: {number} is served by {', '.join(sorted(files))}")
    if shared:
        return 1
    print(f"call_groups_check: {len(groups)} call numbers, each in one group")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
