#!/usr/bin/env python3
"""Writes a corrupted copy of a valid root-task ELF64, for the boot tests that check the kernel
refuses bad root tasks with one clear line. Usage: make_bad_root_task.py KIND GOOD.elf OUT"""
import struct
import sys

PHDR_SIZE = 56


def first_load_header(data: bytes) -> int:
    phoff = struct.unpack_from("<Q", data, 32)[0]
    phnum = struct.unpack_from("<H", data, 56)[0]
    for i in range(phnum):
        off = phoff + i * PHDR_SIZE
        if struct.unpack_from("<I", data, off)[0] == 1:
            return off
    raise SystemExit("no PT_LOAD segment in the input")


def last_load_end(data: bytes) -> int:
    phoff = struct.unpack_from("<Q", data, 32)[0]
    phnum = struct.unpack_from("<H", data, 56)[0]
    end = 0
    for i in range(phnum):
        off = phoff + i * PHDR_SIZE
        if struct.unpack_from("<I", data, off)[0] == 1:
            offset, filesz = struct.unpack_from("<Q", data, off + 8)[0], struct.unpack_from("<Q", data, off + 32)[0]
            end = max(end, offset + filesz)
    return end


def corrupt(kind: str, data: bytearray) -> bytes:
    if kind == "truncated":
        return bytes(data[:40])
    if kind == "not_elf":
        return b"This is a text file, not a program.\n" * 8
    if kind == "elf32":
        data[4] = 1
    elif kind == "wrong_machine":
        struct.pack_into("<H", data, 18, 40)  # EM_ARM
    elif kind == "segment_outside_file":
        ph = first_load_header(data)
        struct.pack_into("<Q", data, ph + 32, len(data) * 4)  # p_filesz
        struct.pack_into("<Q", data, ph + 40, len(data) * 4)  # p_memsz
    elif kind == "kernel_address":
        ph = first_load_header(data)
        struct.pack_into("<Q", data, ph + 16, 0xFFFFFFFF80000000)  # p_vaddr
    elif kind == "cut_short":
        # QEMU pads a module to whole pages, so cut more than a page for the kernel to see it.
        return bytes(data[: last_load_end(data) - 0x1010])
    else:
        raise SystemExit(f"unknown kind {kind}")
    return bytes(data)


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    kind, good, out = sys.argv[1:]
    with open(good, "rb") as f:
        data = bytearray(f.read())
    with open(out, "wb") as f:
        f.write(corrupt(kind, data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
