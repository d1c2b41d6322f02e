#!/usr/bin/env python3
"""Makes the disk images the block tests boot with, and checks them afterwards.

make:  make_disk.py IMAGE [--size MIB] [--table gpt|mbr|corrupt-gpt]
check: make_disk.py IMAGE --check LABEL:PARTITION[:RANGES]...

Made images are GPT (or MBR) with two partitions, alpha (4 MiB) and beta (4 MiB), made by
sfdisk, each filled with a seed pattern: block b of a partition starts with "seed NAME b". A
corrupt-gpt image has both GPT headers damaged. --check verifies, after a run, that each
LABEL:PARTITION pair's blocks in RANGES ("0-63,128-1023"; all if omitted) hold what the client LABEL writes
(tests/system/block/block_test_client.c: "client LABEL, block b" then the LABEL byte), that the
other blocks of every partition still hold their seed, and that the partition table is intact.
"""

import argparse
import os
import shutil
import struct
import subprocess
import sys
import zlib

MiB = 1 << 20
BLOCK = 4096
PARTITIONS = [("alpha", 4 * MiB), ("beta", 4 * MiB)]


def sfdisk():
    path = shutil.which("sfdisk") or "/usr/sbin/sfdisk"
    if not os.path.exists(path):
        sys.exit("make_disk.py: sfdisk not found (Debian package fdisk; scripts/install-deps.sh)")
    return path


def layout(image):
    """[(name, first_byte, bytes)] as sfdisk reports the partitions of image."""
    dump = subprocess.run([sfdisk(), "-d", image], check=True, capture_output=True, text=True).stdout
    parts = []
    for line in dump.splitlines():
        if " : start=" not in line:
            continue
        fields = dict(f.strip().split("=", 1) for f in line.split(":", 1)[1].split(",") if "=" in f)
        name = fields.get("name", "").strip('"') or line.split(":")[0].strip()
        parts.append((name, int(fields["start"]) * 512, int(fields["size"]) * 512))
    return parts


def seed(name, block):
    head = f"seed {name} {block}".encode()
    return head + bytes([0x5e]) * (BLOCK - len(head))


def written(label, block):
    head = f"client {label}, block {block}".encode()
    return head + b"\0" * (64 - len(head)) + label.encode()[:1] * (BLOCK - 64)


def make(image, size_mib, table):
    with open(image, "wb") as f:
        f.truncate(size_mib * MiB)
    label = "dos" if table == "mbr" else "gpt"
    script = f"label: {label}\n" + "".join(
        f"size={size // MiB}MiB" + (f", name={name}" if label == "gpt" else "") + "\n"
        for name, size in PARTITIONS)
    subprocess.run([sfdisk(), "-q", image], input=script, check=True, text=True,
                   stdout=subprocess.DEVNULL)
    with open(image, "r+b") as f:
        for index, (name, first, size) in enumerate(layout(image)):
            tag = PARTITIONS[index][0]
            f.seek(first)
            f.write(b"".join(seed(tag, b) for b in range(size // BLOCK)))
        if table == "corrupt-gpt":
            # Flip a bit of each header's "my LBA": both now fail their checksum.
            for lba in (1, size_mib * MiB // 512 - 1):
                f.seek(lba * 512 + 24)
                byte = f.read(1)[0]
                f.seek(lba * 512 + 24)
                f.write(bytes([byte ^ 0x01]))


def check(image, pairs):
    problems = []
    parts = layout(image)
    by_name = {PARTITIONS[i][0]: part for i, part in enumerate(parts)}
    claimed = {}
    for pair in pairs:
        label, partition, *ranges = pair.split(":")
        blocks = None
        if ranges:
            blocks = set()
            for piece in ranges[0].split(","):
                first, _, last = piece.partition("-")
                blocks.update(range(int(first), int(last or first) + 1))
        claimed[partition] = (label, blocks)
    with open(image, "rb") as f:
        for tag, (name, first, size) in by_name.items():
            label, blocks = claimed.get(tag, (None, set()))
            total = size // BLOCK
            f.seek(first)
            for block in range(total):
                data = f.read(BLOCK)
                mine = label is not None and (blocks is None or block in blocks)
                want = written(label, block) if mine else seed(tag, block)
                if data != want:
                    problems.append(f"{tag} block {block}: {data[:40]!r}, expected {want[:40]!r}")
                    if len(problems) > 10:
                        break
    for problem in problems:
        print(f"make_disk.py: {image}: {problem}", file=sys.stderr)
    if not problems:
        print(f"make_disk.py: {image}: every block as expected")
    return 0 if not problems else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("image")
    parser.add_argument("--size", type=int, default=16, help="MiB (default 16)")
    parser.add_argument("--table", choices=["gpt", "mbr", "corrupt-gpt"], default="gpt")
    parser.add_argument("--check", nargs="*", metavar="LABEL:PARTITION[:RANGES]")
    options = parser.parse_args()
    if options.check is not None:
        return check(options.image, options.check)
    make(options.image, options.size, options.table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
