#!/usr/bin/env python3
"""Checks that the pinned seL4 commit (abi/include/tessera/abi/sel4_version.h) is the one
docs/abi.md states and, when the reference binaries are present, the one their README names.

Usage: check_pinned_version.py SEL4_VERSION_H DOCS_ABI_MD [SEL4_README]
"""

import os
import re
import sys


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as header:
        found = re.search(r'TESSERA_SEL4_PINNED_COMMIT\s+"([0-9a-f]{40})"', header.read())
    if not found:
        print(f"{argv[0]}: no TESSERA_SEL4_PINNED_COMMIT")
        return 1
    commit = found.group(1)
    failures = 0
    for path in argv[1:]:
        if path == argv[-1] and len(argv) == 3 and not os.path.isfile(path):
            print(f"{path}: absent, not checked")
            continue
        with open(path, encoding="utf-8") as text:
            if commit not in text.read():
                print(f"{path}: does not name the pinned seL4 {commit}")
                failures += 1
            else:
                print(f"{path}: names {commit}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
