#!/usr/bin/env python3
"""Fails unless the fastpath entries' object file defines the entries and nothing else.

fastpath_entry.cc is compiled with every callee-saved register call-clobbered (kernel/
CMakeLists.txt): its entries never return, so saving registers is waste. Any other function it
defined (an inline function GCC chose not to inline, emitted as a weak copy) could be the copy
the linker keeps for the whole kernel, and would then clobber its callers' registers. Only code
counts: data an inline variable puts there (kernel_instances::ipc, a constant) runs nothing.

    check_fastpath_object.py OBJECT...   (the first object whose name ends in fastpath_entry.cc.o)
"""

import subprocess
import sys

# nm's letters for code: text (T), weak (W, a function unless nm says V), indirect function (i).
CODE = {"T", "W", "i"}
ENTRIES = {"fastpath_call_entry", "fastpath_reply_recv_entry", "fastpath_signal_entry",
           "fastpath_wait_entry", "fastpath_fault_entry"}


def main(argv):
    objects = [path for path in argv if path.endswith("fastpath_entry.cc.o")]
    if not objects:
        print("check_fastpath_object: no fastpath_entry.cc.o among the arguments", file=sys.stderr)
        return 2
    output = subprocess.run(["nm", "--defined-only", "--extern-only", objects[0]], check=True,
                            capture_output=True, text=True).stdout
    symbols = [line.split() for line in output.splitlines() if line.strip()]
    defined = {fields[-1] for fields in symbols if fields[-2] in CODE}
    extra = sorted(defined - ENTRIES)
    missing = sorted(ENTRIES - defined)
    for name in extra:
        print(f"check_fastpath_object: {objects[0]} also defines {name}: make it always_inline "
              "or move it out of fastpath_entry.cc", file=sys.stderr)
    for name in missing:
        print(f"check_fastpath_object: {objects[0]} does not define {name}", file=sys.stderr)
    if extra or missing:
        return 1
    print(f"check_fastpath_object: {len(defined)} entries, nothing else")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
