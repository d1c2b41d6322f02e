#!/usr/bin/env python3
"""Writes a copy of a loader ELF whose embedded system image has one byte flipped, so the boot-time
loader must refuse it with its checksum error. Usage: corrupt_image.py IN.elf OUT.elf"""

import struct
import sys

IMAGE_SYMBOL = b"tessera_system_image"  # user/loader/embedded_image.cc
PT_LOAD = 1
SHT_SYMTAB = 2


def image_vaddr(data):
    """The placeholder symbol's address, from the section headers' symbol table."""
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum = struct.unpack_from("<HH", data, 58)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for _, sh_type, _, _, offset, size, link, _, _, entsize in sections:
        if sh_type != SHT_SYMTAB:
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, at)
            end = data.index(b"\0", strings + name)
            if data[strings + name:end] == IMAGE_SYMBOL:
                return value
    sys.exit(f"{sys.argv[1]}: no symbol {IMAGE_SYMBOL.decode()}: not a Tessera loader")


def image_segment(data):
    vaddr = image_vaddr(data)
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD and p_vaddr == vaddr:
            return p_offset, p_filesz
    sys.exit(f"{sys.argv[1]}: no image segment at {vaddr:#x}")


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
