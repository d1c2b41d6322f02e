#!/usr/bin/env python3
"""Runs a command only when seL4's reference binaries are present; otherwise a ctest skip.

Usage: require_sel4.py --need FILE [--need FILE ...] -- COMMAND [ARG ...]
Exits 77 (ctest's SKIP_RETURN_CODE for these tests) with one line naming the first missing file,
else becomes COMMAND (exec), so a signal or timeout reaches it directly. The binaries live in ../shared/sel4 beside the
repository (../shared/sel4/README.md); CI clones the repository with that folder beside it.
"""

import os
import sys

SKIP = 77


def main(argv):
    if "--" not in argv:
        print("require_sel4: usage: require_sel4.py --need FILE ... -- COMMAND", file=sys.stderr)
        return 2
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1:]
    if len(options) % 2 or any(flag != "--need" for flag in options[::2]) or not command:
        print("require_sel4: usage: require_sel4.py --need FILE ... -- COMMAND", file=sys.stderr)
        return 2
    for path in options[1::2]:
        if not os.path.isfile(path):
            print(f"SKIP: {os.path.normpath(path)} is absent: seL4's reference binaries belong in "
                  "../shared/sel4 beside the repository (set TESSERA_SEL4_DIR to use another "
                  "folder)", flush=True)
            return SKIP
    os.execvp(command[0], command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
