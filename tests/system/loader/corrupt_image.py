#!/usr/bin/env python3
"""Writes a copy of a loader ELF whose embedded system image has one byte flipped, so the boot-time
loader must refuse it with its checksum error. Usage: corrupt_image.py IN.elf OUT.elf"""

import struct
import sys

IMAGE_VADDR = 0x40000000  # user/loader/image.ld
PT_LOAD = 1


def image_segment(data):
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD and p_vaddr == IMAGE_VADDR:
            return p_offset, p_filesz
    sys.exit(f"{sys.argv[1]}: no image segment at {IMAGE_VADDR:#x}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = bytearray(open(sys.argv[1], "rb").read())
    offset, size = image_segment(data)
    if size < 256:
        sys.exit(f"{sys.argv[1]}: the image segment holds no image ({size} bytes)")
    data[offset + size // 2] ^= 0x5a  # somewhere in a blob, past every header
    open(sys.argv[2], "wb").write(data)


if __name__ == "__main__":
    main()
