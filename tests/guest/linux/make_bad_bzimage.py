#!/usr/bin/env python3
"""A bzImage that passes every boot-protocol check of the VMM's loader (user/services/vmm/
boot_protocol.cc) and whose 64-bit entry misbehaves (--entry):
  triple-fault  (the default) loads an empty IDT and executes UD2, so #UD finds no handler, nor
                does the #GP, nor the #DF: the VMM must stop only that guest, with a line naming
                the triple fault;
  spin          jumps to itself forever without an exit: it never powers off (tessera vm's
                --timeout, status 124);
  storm         writes port 0x80 in a loop: an exit each time, for the VMM's exit-storm guard.
Setup header fields from the x86 boot protocol (Documentation/x86/boot.rst, 2.15).

Usage: make_bad_bzimage.py OUTPUT [--entry triple-fault|spin|storm]
"""

import struct
import sys

SETUP_SECTS = 4
PAYLOAD_BYTES = 4096
ENTRY_64 = 0x200  # the 64-bit entry: the load address + 0x200

# lidt [rip + 2]; ud2; then the IDTR operand: limit 0, base 0.
TRIPLE_FAULT = bytes([0x0F, 0x01, 0x1D, 0x02, 0x00, 0x00, 0x00, 0x0F, 0x0B]) + bytes(10)
# jmp . (EB FE)
SPIN = bytes([0xEB, 0xFE])
# 1: out %al, $0x80; jmp 1b
STORM = bytes([0xE6, 0x80, 0xEB, 0xFC])
ENTRIES = {"triple-fault": TRIPLE_FAULT, "spin": SPIN, "storm": STORM}


def bzimage(entry=TRIPLE_FAULT):
    setup = bytearray((SETUP_SECTS + 1) * 512)
    header_end = 0x268

    def put(offset, fmt, value):
        struct.pack_into("<" + fmt, setup, offset, value)

    put(0x1F1, "B", SETUP_SECTS)
    put(0x1F4, "I", PAYLOAD_BYTES // 16)     # syssize
    put(0x1FE, "H", 0xAA55)                  # boot_flag
    put(0x200, "B", 0xEB)                    # jmp over the header
    put(0x201, "B", header_end - 0x202)
    put(0x202, "I", 0x53726448)              # "HdrS"
    put(0x206, "H", 0x020F)                  # protocol 2.15
    put(0x211, "B", 0x01)                    # loadflags: LOADED_HIGH
    put(0x22C, "I", 0x7FFFFFFF)              # initrd_addr_max
    put(0x230, "I", 0x200000)                # kernel_alignment
    put(0x234, "B", 1)                       # relocatable_kernel
    put(0x236, "H", 0x0001)                  # xloadflags: XLF_KERNEL_64
    put(0x238, "I", 2047)                    # cmdline_size
    put(0x258, "Q", 0x1000000)               # pref_address
    put(0x260, "I", 0x100000)                # init_size
    payload = bytearray(PAYLOAD_BYTES)
    payload[ENTRY_64:ENTRY_64 + len(entry)] = entry
    return bytes(setup) + bytes(payload)


def main():
    arguments = sys.argv[1:]
    entry = "triple-fault"
    if len(arguments) == 3 and arguments[1] == "--entry" and arguments[2] in ENTRIES:
        entry = arguments[2]
    elif len(arguments) != 1:
        sys.exit(__doc__.strip().splitlines()[-1])
    with open(arguments[0], "wb") as f:
        f.write(bzimage(ENTRIES[entry]))


if __name__ == "__main__":
    main()
