#!/usr/bin/env python3
"""Runs `tessera vm ...` and checks its exit status and that each --expect regex matches a line
of its output (the system's and the guest's console). Usage:
run_tessera_vm.py --status N [--expect REGEX]... [--input TEXT]
                  [--debian-kernel BUILD [--kernel FILE] [--truncate BYTES]] -- TESSERA_VM_COMMAND...
With --input, TEXT and a newline are the command's standard input (the guest's console).
With --hold-input, standard input stays open (after TEXT, if any) until the command ends, so the
launcher never stops the run for being idle after its input ended: the run ends with the guest
(poweroff, the VMM's stop) or at --timeout. For runs whose guest waits on a device: on a loaded
machine a niced QEMU can take longer than the launcher's quiet period (0.3 s) to emulate the
VMM's next wake-up after the kernel's idle line, and the launcher took that for a stopped system.

With --debian-kernel, the argument GUEST_KERNEL in the command becomes Debian's kernel: FILE when
given (a configured TESSERA_GUEST_KERNEL), else the one bench/linux/guest/kernel_package.py
obtains (apt-get download of what linux-image-amd64 stands for, cached under
BUILD/linux-guest/kernel and shared with the Linux-guest benchmarks; the cached one when the
archive cannot be reached). With no kernel to be had the test is skipped (status 77, ctest's
SKIP_RETURN_CODE) with the reason. --truncate cuts the kernel to its first BYTES first.

The disk test (--disk-guest, with --debian-kernel): the argument GUEST_INITRD becomes a busybox
initramfs with the kernel package's virtio modules whose /init reads and writes /dev/vda
(tests/guest/linux/make_initramfs.py --module), and DISK_IMAGE a fresh 4 MiB image that starts
with the line DISK_MARKER; after the run the image must hold --disk-expect TEXT at byte 4096, or
with --disk-unchanged be exactly as made. DISK_IMAGE2, when the command has it, is a second such
image starting with DISK2_MARKER, checked by --disk2-expect / --disk2-unchanged. A configured
kernel comes without its modules: the disk test is then skipped.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bench", "linux", "guest"))
import kernel_package  # noqa: E402

SKIPPED = 77
KERNEL_ARGUMENT = "GUEST_KERNEL"
INITRD_ARGUMENT = "GUEST_INITRD"
DISK_ARGUMENT = "DISK_IMAGE"
DISK_MARKER = b"tessera disk for the guest\n"
# The second image's argument and first line: a different text, so that the guest's report tells
# which disk it read.
DISK2_ARGUMENT = "DISK_IMAGE2"
DISK2_MARKER = b"the guest's second tessera disk\n"
DISK_BYTES = 4 << 20
VIRTIO_BLOCK_MODULES = ("virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev",
                        "virtio_pci", "virtio_blk")
MAKE_INITRAMFS = os.path.join(HERE, "..", "..", "guest", "linux", "make_initramfs.py")


def debian_kernel(build, configured):
    """The vmlinuz to boot and the package (None for a configured kernel), or None after saying
    why there is none."""
    if configured:
        return configured, None
    cache = os.path.join(os.path.abspath(build), "linux-guest", "kernel")
    os.makedirs(cache, exist_ok=True)
    try:
        kernel = kernel_package.obtain(cache, log=lambda m: print(f"run_tessera_vm: {m}"))
    except kernel_package.KernelPackageError as error:
        print(f"run_tessera_vm: skipped: no Debian kernel to boot: {error}")
        return None
    print(f"run_tessera_vm: Debian's {kernel.package} {kernel.version}")
    return kernel.vmlinuz, kernel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--status", type=int, required=True)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--input")
    parser.add_argument("--hold-input", action="store_true")
    parser.add_argument("--debian-kernel", metavar="BUILD")
    parser.add_argument("--kernel", default="")
    parser.add_argument("--truncate", type=int)
    parser.add_argument("--kernel-env", metavar="NAME",
                        help="also give the command the kernel's path in this environment variable")
    parser.add_argument("--disk-guest", action="store_true")
    parser.add_argument("--busybox", default="/bin/busybox")
    parser.add_argument("--disk-expect")
    parser.add_argument("--disk-unchanged", action="store_true")
    parser.add_argument("--disk2-expect")
    parser.add_argument("--disk2-unchanged", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    with tempfile.TemporaryDirectory() as scratch:
        if options.debian_kernel is not None:
            found = debian_kernel(options.debian_kernel, options.kernel)
            if found is None:
                return SKIPPED
            kernel, package = found
            if options.truncate is not None:
                cut = os.path.join(scratch, "truncated-bzImage")
                with open(kernel, "rb") as source, open(cut, "wb") as target:
                    target.write(source.read(options.truncate))
                kernel = cut
            command = [kernel if word == KERNEL_ARGUMENT else word for word in command]
            if options.kernel_env:
                os.environ[options.kernel_env] = kernel
            if options.disk_guest:
                if package is None:
                    print("run_tessera_vm: skipped: a configured kernel comes without its modules")
                    return SKIPPED
                initrd = os.path.join(scratch, "disk-initrd.gz")
                modules = [path for _, path in package.module_files(VIRTIO_BLOCK_MODULES)]
                subprocess.run([sys.executable, MAKE_INITRAMFS, initrd, "--busybox", options.busybox]
                               + [arg for path in modules for arg in ("--module", path)], check=True)
                # DISK_IMAGE2 first: DISK_IMAGE is a prefix of it.
                images = []
                for argument, marker, expect, unchanged in (
                        (DISK2_ARGUMENT, DISK2_MARKER, options.disk2_expect, options.disk2_unchanged),
                        (DISK_ARGUMENT, DISK_MARKER, options.disk_expect, options.disk_unchanged)):
                    if not any(argument in word for word in command):
                        continue
                    disk = os.path.join(scratch, argument.lower() + ".img")
                    made = marker + bytes(DISK_BYTES - len(marker))
                    with open(disk, "wb") as f:
                        f.write(made)
                    command = [word.replace(argument, disk) for word in command]
                    images.append((disk, made, expect, unchanged))
                command = [initrd if word == INITRD_ARGUMENT else word for word in command]
                status = run(command, options)
                for disk, made, expect, unchanged in images:
                    with open(disk, "rb") as f:
                        after = f.read()
                    name = os.path.basename(disk)
                    if unchanged and after != made:
                        print(f"run_tessera_vm: the read-only {name} changed")
                        return 1
                    if expect and not after[4096:].startswith(expect.encode()):
                        print(f"run_tessera_vm: byte 4096 of {name} holds {after[4096:4128]!r}, "
                              f"expected {expect!r}")
                        return 1
                return status
        return run(command, options)


def run(command, options):
    if options.hold_input:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.PIPE) as process:
            if options.input is not None:
                process.stdin.write((options.input + "\n").encode())
                process.stdin.flush()
            stdout = process.stdout.read()
            process.wait()
            process.stdin.close()
        result = subprocess.CompletedProcess(command, process.returncode, stdout)
    elif options.input is None:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, check=False)
    else:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             input=(options.input + "\n").encode(), check=False)
    output = result.stdout.decode(errors="replace")
    lines = output.splitlines()
    failures = []
    if result.returncode != options.status:
        failures.append(f"exit status {result.returncode}, expected {options.status}")
    for regex in options.expect:
        if not any(re.search(regex, line) for line in lines):
            failures.append(f"no line matches {regex!r}")
    sys.stdout.write("\n".join(lines[-40:]) + "\n")
    for failure in failures:
        print(f"run_tessera_vm: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
