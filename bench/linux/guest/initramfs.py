"""An initramfs as Linux unpacks it: the "newc" cpio format (SVR4 with no CRC), gzip-compressed.

Written here rather than with cpio(1) so that the archive's contents, owners (root), modes and
timestamps (0) are exactly what the harness asked for and the same bytes come out every time.
Format: Linux's Documentation/driver-api/early-userspace/buffer-format.rst.
"""

import gzip
import stat

MAGIC = b"070701"
TRAILER = "TRAILER!!!"


class Initramfs:
    """Entries in the order they are added; parents must be added before their children."""

    def __init__(self):
        self._entries = []      # (name, mode, data, rdev_major, rdev_minor)
        self._names = set()

    def directory(self, name, mode=0o755):
        self._add(name, stat.S_IFDIR | mode, b"")

    def file(self, name, data, mode=0o644):
        self._add(name, stat.S_IFREG | mode, bytes(data))

    def character_device(self, name, major, minor, mode=0o600):
        self._add(name, stat.S_IFCHR | mode, b"", major, minor)

    def symlink(self, name, target):
        self._add(name, stat.S_IFLNK | 0o777, target.encode())

    def names(self):
        return [entry[0] for entry in self._entries]

    def _add(self, name, mode, data, major=0, minor=0):
        name = name.strip("/")
        if not name or name == TRAILER or ".." in name.split("/"):
            raise ValueError(f"bad initramfs path {name!r}")
        if name in self._names:
            raise ValueError(f"{name!r} is already in the initramfs")
        parent = name.rpartition("/")[0]
        if parent and parent not in self._names:
            raise ValueError(f"{name!r}: add its directory {parent!r} first")
        self._names.add(name)
        self._entries.append((name, mode, data, major, minor))

    def archive(self):
        """The uncompressed newc archive."""
        out = bytearray()
        for inode, (name, mode, data, major, minor) in enumerate(self._entries, start=1):
            out += _entry(inode, name, mode, data, major, minor)
        out += _entry(0, TRAILER, 0, b"", 0, 0)
        return bytes(out)

    def compressed(self):
        """gzip (CONFIG_RD_GZIP, which every Debian kernel has), timestamp 0: reproducible."""
        return gzip.compress(self.archive(), compresslevel=6, mtime=0)


def _pad(length):
    return b"\0" * (-length % 4)


def _entry(inode, name, mode, data, major, minor):
    encoded = name.encode() + b"\0"
    links = 2 if stat.S_ISDIR(mode) else 1
    fields = (inode, mode, 0, 0, links, 0, len(data), 0, 0, major, minor, len(encoded), 0)
    header = MAGIC + b"".join(b"%08x" % value for value in fields)
    return header + encoded + _pad(len(header) + len(encoded)) + data + _pad(len(data))


def parse(archive):
    """Entries of an uncompressed newc archive as (name, mode, data, rdev major, minor), for
    tests and for checking what was built."""
    entries, offset = [], 0
    while True:
        header = archive[offset:offset + 110]
        if len(header) < 110 or header[:6] != MAGIC:
            raise ValueError(f"no newc header at offset {offset}")
        values = [int(header[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, size, major, minor, name_size = values[1], values[6], values[9], values[10], values[11]
        name_start = offset + 110
        name = archive[name_start:name_start + name_size - 1].decode()
        data_start = name_start + name_size
        data_start += -data_start % 4
        data = archive[data_start:data_start + size]
        offset = data_start + size
        offset += -offset % 4
        if name == TRAILER:
            return entries
        entries.append((name, mode, data, major, minor))
