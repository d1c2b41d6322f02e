#!/usr/bin/env python3
"""make_damaged_volume.py KIND SOURCE OUTPUT: a copy of the ext2 image SOURCE damaged one way,
for the shell's tests of bad volumes (docs/filesystem.md, "Bad volumes"):

  magic       the superblock's magic number zeroed: not an ext2 volume at all (refused)
  ro_compat   a read-only-compatible feature bit no ext2 knows set: mounts read-only
  root        the root directory's first block overwritten with 0xff bytes: a directory entry
              whose record length runs past its block (the volume mounts; reading / fails)
"""

import shutil
import subprocess
import sys

SUPERBLOCK = 1024
MAGIC = SUPERBLOCK + 56            # s_magic, 16 bits
RO_COMPAT = SUPERBLOCK + 100       # s_feature_ro_compat, 32 bits
UNKNOWN_RO_COMPAT_BIT = 0x40000000
BLOCK_SIZE_LOG = SUPERBLOCK + 24   # s_log_block_size: the block size is 1024 << this


def patch(path, offset, data):
    with open(path, "r+b") as image:
        image.seek(offset)
        image.write(data)


def root_block(path):
    """The first block of the root directory (inode 2), as debugfs maps it."""
    out = subprocess.run(["debugfs", "-R", "bmap <2> 0", path], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return int(out.split()[0])


def main(argv):
    if len(argv) != 4 or argv[1] not in ("magic", "ro_compat", "root"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, source, output = argv[1:]
    shutil.copyfile(source, output)
    if kind == "magic":
        patch(output, MAGIC, b"\0\0")
    elif kind == "ro_compat":
        with open(output, "rb") as image:
            image.seek(RO_COMPAT)
            features = int.from_bytes(image.read(4), "little")
        patch(output, RO_COMPAT, (features | UNKNOWN_RO_COMPAT_BIT).to_bytes(4, "little"))
    else:
        with open(output, "rb") as image:
            image.seek(BLOCK_SIZE_LOG)
            block_size = 1024 << int.from_bytes(image.read(4), "little")
        patch(output, root_block(output) * block_size, b"\xff" * block_size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
