#!/usr/bin/env python3
"""The Linux guest's initramfs for the VMM's system test: the host's static busybox and an /init
that mounts /proc, /sys and /dev, reports what the guest sees and one line it reads from its
console (or that input ended), and powers off through ACPI (S5),
which the VMM turns into "the guest powered off". Reproducible bytes (bench/linux/guest's writer).

With --module (repeatable, in insmod order) the /init is the disk test's instead: it loads the
modules (Debian's virtio stack), reports each disk /dev/vda to /dev/vdd it finds (size, read-only
flag, the text at its start), writes a line at byte 4096 of each and says whether the write was
taken, and powers off.

Usage: make_initramfs.py OUTPUT.gz [--busybox PATH] [--module FILE.ko]...
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "bench", "linux", "guest"))
from initramfs import Initramfs  # noqa: E402

INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "vmm-guest: busybox shell up, Linux $(uname -r)"
echo "vmm-guest: $(grep -c ^processor /proc/cpuinfo) processor(s), $(grep MemTotal /proc/meminfo)"
if read -t 60 line; then echo "vmm-guest: console read: $line"; else echo "vmm-guest: console input ended"; fi
echo "vmm-guest: powering off"
poweroff -f
"""

DISK_INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in /lib/modules/*.ko; do insmod "$module" || echo "vmm-guest: insmod $module failed"; done
echo "vmm-guest: modules loaded"
disks=0
for d in vda vdb vdc vdd; do
  [ -b /dev/$d ] || continue
  disks=$((disks + 1))
  echo "vmm-guest: disk $d, $(cat /sys/block/$d/size) sectors, read-only $(cat /sys/block/$d/ro)"
  echo "vmm-guest: disk $d starts with: $(dd if=/dev/$d bs=512 count=1 2>/dev/null | head -n 1)"
  if echo "written by the guest" | dd of=/dev/$d bs=4096 seek=1 conv=sync,fsync 2>/dev/null; then
    echo "vmm-guest: disk $d write taken"
  else
    echo "vmm-guest: disk $d write refused"
  fi
done
echo "vmm-guest: $disks disk(s)"
echo "vmm-guest: powering off"
poweroff -f
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--busybox", default="/bin/busybox")
    parser.add_argument("--module", action="append", default=[])
    options = parser.parse_args()
    with open(options.busybox, "rb") as f:
        busybox = f.read()
    if busybox[:4] != b"\x7fELF":
        sys.exit(f"make_initramfs: {options.busybox} is not an ELF file")
    image = Initramfs()
    for directory in ("bin", "dev", "lib", "lib/modules", "proc", "sys", "sbin", "usr", "usr/bin",
                      "usr/sbin"):
        image.directory(directory)
    image.character_device("dev/console", 5, 1)
    image.file("bin/busybox", busybox, 0o755)
    image.file("init", (DISK_INIT if options.module else INIT).encode(), 0o755)
    # Numbered so that the shell's glob keeps the insmod order.
    for index, path in enumerate(options.module):
        with open(path, "rb") as f:
            image.file(f"lib/modules/{index:02d}-{os.path.basename(path)}", f.read())
    data = image.compressed()
    with open(options.output + ".tmp", "wb") as f:
        f.write(data)
    os.replace(options.output + ".tmp", options.output)


if __name__ == "__main__":
    main()
