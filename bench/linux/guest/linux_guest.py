#!/usr/bin/env python3
"""The Linux-guest harness: Debian's kernel booted in the QEMU mode of Tessera's benchmarks, with
an initramfs of static musl programs, optional virtio disks and a list of commands to run.

Library use (docs/benchmarks.md, "The Linux-guest harness", has the whole API):

    sys.path.insert(0, os.path.join(REPO, "bench", "linux", "guest"))
    import linux_guest
    harness = linux_guest.Harness("build")
    reader = harness.compile("pread_bench", ["bench/blk/pread_bench.c"])
    result = harness.run([["/bin/pread_bench", "/dev/vda"]], programs=[reader],
                         disks=[linux_guest.Disk("build/disk.img", read_only=True)])
    result.check()          # raises GuestError unless every command exited 0
    result.output           # what the commands printed (their stdout and stderr)
    result.kernel           # package, version and release of the kernel: record it with figures

Command line: `linux_guest.py kernel` resolves and caches the kernel and prints its identity;
`linux_guest.py run [--program FILE] [--disk IMAGE[,ro]] ... -- /bin/PROGRAM ARGS` boots one run
and prints its output (exit status: the commands' status, 124 on timeout, 120 on a harness error).
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(os.path.dirname(HERE))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, HERE)
sys.path.insert(0, BENCH)
import initramfs as newc  # noqa: E402
import kernel_package  # noqa: E402
import mode as bench_mode  # noqa: E402

QEMU = "qemu-system-x86_64"
COMPILER = "musl-gcc"
LIBRARY_DIRECTORY = os.path.join(HERE, "lib")
LIBRARY_SOURCES = [os.path.join(LIBRARY_DIRECTORY, "guest_bench.c")]
INIT_SOURCE = os.path.join(HERE, "init", "init.c")
CFLAGS = ["-static", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror"]

# What Debian builds as modules and a benchmark of virtio disks or ext2 needs, in insmod order
# (each after what its .modinfo says it depends on). ext4 mounts ext2 (CONFIG_EXT4_USE_FOR_EXT2).
# Linux 6.1's ext4 asks the crypto API for crc32c at every mount, whatever the file system's
# features, and the request for a module goes to a modprobe the initramfs does not have: the
# generic crc32c is loaded beforehand.
VIRTIO_BLOCK_MODULES = ("virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev",
                        "virtio_pci", "virtio_blk")
EXT_MODULES = ("crc16", "mbcache", "jbd2", "crc32c_generic", "ext4")
DEFAULT_MODULES = VIRTIO_BLOCK_MODULES + EXT_MODULES

# The kernel's command line. The console is the first serial port; the programs' output goes to
# the second (init.c). panic=-1 turns a panic into a reset, which -no-reboot turns into QEMU's exit.
# cryptomgr.notests skips the crypto self-tests: 740 million of the boot's 1.75 billion
# instructions, testing code that no benchmark here runs.
BASE_APPEND = "console=ttyS0 panic=-1 quiet cryptomgr.notests"

EXIT_TIMEOUT, EXIT_HARNESS = 124, 120


class GuestError(Exception):
    """A run that did not do what was asked; the message names what and shows the evidence."""


class Disk:
    """A disk image attached as a virtio-blk PCI device; the guest sees them as /dev/vda, /dev/vdb,
    ... in the order given. Raw images are written in place unless read_only."""

    def __init__(self, path, read_only=False, image_format="raw"):
        self.path = os.path.abspath(path)
        self.read_only = read_only
        self.image_format = image_format

    @staticmethod
    def parse(text):
        """IMAGE or IMAGE,ro (the launcher's --disk syntax)."""
        path, _, flags = text.partition(",")
        if flags not in ("", "ro"):
            raise GuestError(f"--disk {text!r}: the only option is ',ro'")
        return Disk(path, read_only=flags == "ro")

    def qemu_arguments(self, index):
        drive = f"file={self.path},format={self.image_format},if=none,id=disk{index}"
        if self.read_only:
            drive += ",readonly=on"
        return ["-drive", drive, "-device", f"virtio-blk-pci,drive=disk{index}"]


class GuestResult:
    """One boot: what the commands printed, their statuses and the run's context."""

    def __init__(self, output_text, console_text, timed_out, qemu_status, kernel, mode,
                 qemu_command):
        self.kernel = kernel                  # KernelPackage.identity()
        self.mode = mode                      # "icount" or "kvm"
        self.qemu_command = qemu_command
        self.console = console_text           # the kernel's console (ttyS0)
        self.timed_out = timed_out
        self.qemu_status = qemu_status
        self.release = None                   # uname -r reported by init
        self.init_tsc = None                  # the TSC at init's first instruction (its main)
        self.init_idle_ns = None              # the CPU's halted time since boot, read by init
        self.status = None                    # LINUX-GUEST-END status; None if never printed
        self.command_statuses = []            # one per command run
        lines = []
        for line in output_text.splitlines():
            fields = dict(item.partition("=")[::2] for item in line.split()[1:])
            if line.startswith("LINUX-GUEST-BEGIN "):
                self.release = fields.get("release")
                if fields.get("init_tsc", "").isdigit():
                    self.init_tsc = int(fields["init_tsc"])
                if fields.get("init_idle_ns", "").isdigit():
                    self.init_idle_ns = int(fields["init_idle_ns"])
            elif line.startswith("LINUX-GUEST-EXIT ") and fields.get("status", "").isdigit():
                self.command_statuses.append(int(fields["status"]))
            elif line.startswith("LINUX-GUEST-END ") and fields.get("status", "").isdigit():
                self.status = int(fields["status"])
            else:
                lines.append(line)
        self.output = "\n".join(lines) + ("\n" if lines else "")   # the commands' own output

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out

    def check(self):
        """Raises GuestError unless init ran every command and each exited 0."""
        if self.ok:
            return self
        if self.timed_out:
            what = "timed out"
        elif self.status is None:
            what = "ended without init's END line (kernel panic or early failure?)"
        else:
            what = f"ended with status {self.status}"
        tail = "\n".join((self.console.splitlines() + self.output.splitlines())[-25:])
        raise GuestError(f"Linux guest {what}; last lines:\n{tail}")


class Harness:
    """Builds and boots Linux guests; everything it makes is cached under BUILD/linux-guest."""

    def __init__(self, build="build", log=None):
        self.root = os.path.join(os.path.abspath(build), "linux-guest")
        self.log = log or (lambda message: print(f"linux-guest: {message}", file=sys.stderr))
        self._kernel = None

    def kernel(self):
        """The kernel package (resolved once per Harness, downloaded once per version)."""
        if self._kernel is None:
            try:
                self._kernel = kernel_package.obtain(os.path.join(self.root, "kernel"),
                                                     log=self.log)
            except kernel_package.KernelPackageError as error:
                raise GuestError(str(error)) from None
        return self._kernel

    def compile(self, name, sources, flags=(), libraries=("-lpthread",), bench_library=True):
        """A static musl program built from C `sources` (guest_bench.c and its header's folder
        added unless bench_library is False); rebuilt only when a source or flag changes.
        Returns the executable's path, to pass to run(programs=...)."""
        if not shutil.which(COMPILER):
            raise GuestError(f"{COMPILER} not found: install musl-tools (scripts/install-deps.sh)")
        sources = [os.path.abspath(s) for s in sources]
        if bench_library:
            sources += LIBRARY_SOURCES
            flags = ["-I", LIBRARY_DIRECTORY, *flags]
        command = [COMPILER, *CFLAGS, *flags, *sources, *libraries]
        digest = hashlib.sha256(json.dumps(command).encode())
        for source in sources + ([os.path.join(LIBRARY_DIRECTORY, "guest_bench.h")]
                                 if bench_library else []):
            with open(source, "rb") as file:
                digest.update(file.read())
        output = os.path.join(self.root, "programs", name)
        stamp = output + ".sha256"
        if os.path.isfile(output) and _read(stamp) == digest.hexdigest():
            return output
        os.makedirs(os.path.dirname(output), exist_ok=True)
        # Private names until the end: two runs may build the same program at once.
        part = f"{output}.{os.getpid()}.part"
        built = subprocess.run(command + ["-o", part], capture_output=True, text=True)
        if built.returncode != 0:
            raise GuestError(f"{COMPILER} {name} failed:\n{built.stderr.strip()}")
        os.replace(part, output)
        with open(f"{stamp}.{os.getpid()}", "w", encoding="utf-8") as file:
            file.write(digest.hexdigest())
        os.replace(f"{stamp}.{os.getpid()}", stamp)
        return output

    def initramfs(self, commands, programs=(), files=None, modules=DEFAULT_MODULES, disks=0):
        """The gzip'd newc archive: init, the modules in insmod order, programs under /bin and
        `files` ({guest path: bytes}), and init's three lists."""
        init = self.compile("init", [INIT_SOURCE], libraries=())
        archive = newc.Initramfs()
        for directory in ("bin", "dev", "etc", "etc/tessera", "lib", "lib/modules", "mnt", "proc",
                          "sys", "tmp"):
            archive.directory(directory)
        # The kernel opens /dev/console for init before devtmpfs is mounted over /dev.
        archive.character_device("dev/console", 5, 1)
        archive.file("init", _read_bytes(init), 0o755)
        module_paths = []
        for name, path in self.kernel().module_files(modules) if modules else []:
            guest_path = f"lib/modules/{name}.ko"
            archive.file(guest_path, _read_bytes(path))
            module_paths.append("/" + guest_path)
        for program in programs:
            archive.file("bin/" + os.path.basename(program), _read_bytes(program), 0o755)
        for guest_path, data in sorted((files or {}).items()):
            parent = guest_path.strip("/").rpartition("/")[0]
            _add_parents(archive, parent)
            archive.file(guest_path, data.encode() if isinstance(data, str) else data)
        archive.file("etc/tessera/modules", "".join(p + "\n" for p in module_paths).encode())
        archive.file("etc/tessera/disks", f"{disks}\n".encode())
        archive.file("etc/tessera/commands", encode_commands(commands))
        return archive.compressed()

    def run(self, commands, programs=(), files=None, disks=(), modules=DEFAULT_MODULES,
            memory="512M", mode=None, timeout=600, append="", keep=None):
        """Boots the guest, runs `commands` (lists of argv; programs are at /bin/<file name>)
        in order until one fails, powers off. `mode` is bench/mode.py's choice unless given.
        `keep`: a directory that receives console.log, output.log and initramfs.gz.
        Returns a GuestResult (call .check() to require success)."""
        if mode is None:
            try:
                mode = bench_mode.choose()[0]
            except ValueError as error:
                raise GuestError(str(error)) from None
        kernel = self.kernel()
        disks = [d if isinstance(d, Disk) else Disk.parse(d) for d in disks]
        for disk in disks:
            if not os.path.isfile(disk.path):
                raise GuestError(f"disk image {disk.path} does not exist")
        image = self.initramfs(commands, programs, files, modules, len(disks))
        work = keep or tempfile.mkdtemp(prefix="run-", dir=_made(self.root))
        os.makedirs(work, exist_ok=True)
        paths = {n: os.path.join(work, n) for n in ("initramfs.gz", "console.log", "output.log")}
        with open(paths["initramfs.gz"], "wb") as file:
            file.write(image)
        command = qemu_command(kernel.vmlinuz, paths["initramfs.gz"], paths["console.log"],
                               paths["output.log"], disks, memory, mode, append)
        timed_out, status = False, None
        try:
            status = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            timed_out = True      # subprocess.run has killed QEMU and waited for it
        except OSError as error:
            raise GuestError(f"{QEMU} could not start: {error}") from None
        result = GuestResult(_read(paths["output.log"]) or "", _read(paths["console.log"]) or "",
                             timed_out, status, kernel.identity(), mode, command)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
        return result


def encode_commands(commands):
    """init's command list: each argument NUL-terminated, each command ended by an empty one."""
    encoded = bytearray()
    for argv in commands:
        if not argv or any(not isinstance(a, str) or "\0" in a or not a for a in argv):
            raise GuestError(f"bad command {argv!r}: non-empty strings without NUL")
        for argument in argv:
            encoded += argument.encode() + b"\0"
        encoded += b"\0"
    return bytes(encoded)


def qemu_command(vmlinuz, initrd, console_log, output_log, disks, memory, mode, append=""):
    """The QEMU command line: the machine, CPU and accelerator of Tessera's benchmarks
    (scripts/launch.py), the guest kernel in place of Tessera's Multiboot one."""
    if mode == "icount":
        machine = ["-accel", "tcg", "-cpu", "max", "-icount", "shift=0"]
    elif mode == "kvm":
        machine = ["-accel", "kvm", "-cpu", "host"]
    else:
        raise GuestError(f"unknown mode {mode!r}")
    command = [QEMU, *machine, "-m", memory, "-kernel", vmlinuz, "-initrd", initrd,
               "-append", f"{BASE_APPEND} {append}".strip(),
               "-serial", f"file:{console_log}", "-serial", f"file:{output_log}",
               "-monitor", "none", "-display", "none", "-nic", "none", "-no-reboot"]
    for index, disk in enumerate(disks):
        command += disk.qemu_arguments(index)
    return command


def _add_parents(archive, directory):
    if not directory or directory in archive.names():
        return
    _add_parents(archive, directory.rpartition("/")[0])
    archive.directory(directory)


def _made(directory):
    os.makedirs(directory, exist_ok=True)
    return directory


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return None


def _read_bytes(path):
    with open(path, "rb") as file:
        return file.read()


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory (cache: BUILD/linux-guest)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("kernel", help="resolve and cache the kernel; print its identity as JSON")
    run = actions.add_parser("run", help="boot once and run one command")
    run.add_argument("--program", action="append", default=[], help="static program for /bin")
    run.add_argument("--source", action="append", default=[],
                     help="C source compiled with musl-gcc into /bin/<its name without .c>")
    run.add_argument("--disk", action="append", default=[], help="IMAGE[,ro] (repeatable)")
    run.add_argument("--module", action="append", default=[],
                     help="extra kernel module (dependencies are added)")
    run.add_argument("--memory", default="512M")
    run.add_argument("--mode", choices=bench_mode.MODES, help="default: bench/mode.py's choice")
    run.add_argument("--timeout", type=float, default=600)
    run.add_argument("--append", default="", help="more kernel command line")
    run.add_argument("--keep", help="directory for console.log, output.log, initramfs.gz")
    run.add_argument("command", nargs="+", help="the command, after --")
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    harness = Harness(options.build)
    try:
        if options.action == "kernel":
            print(json.dumps(harness.kernel().identity(), indent=1))
            return 0
        programs = list(options.program)
        for source in options.source:
            name = os.path.splitext(os.path.basename(source))[0]
            programs.append(harness.compile(name, [source]))
        result = harness.run([options.command], programs=programs, disks=options.disk,
                             modules=DEFAULT_MODULES + tuple(options.module),
                             memory=options.memory, mode=options.mode, timeout=options.timeout,
                             append=options.append, keep=options.keep)
    except GuestError as error:
        print(f"linux-guest: {error}", file=sys.stderr)
        return EXIT_HARNESS
    sys.stdout.write(result.output)
    kernel = result.kernel
    print(f"linux-guest: {kernel['package']} {kernel['version']} ({result.release}), "
          f"{result.mode}: status {result.status}", file=sys.stderr)
    if result.timed_out:
        return EXIT_TIMEOUT
    if result.status is None:
        print(result.console[-3000:], file=sys.stderr)
        return EXIT_HARNESS
    return result.status


if __name__ == "__main__":
    sys.exit(main())
