#!/usr/bin/env python3
"""The one QEMU launcher: boots a Tessera kernel with its root task and returns the guest's status.

Used by `make run`, `make debug`, every in-system test (tests/system/run_suite.py) and the
benchmarks. Options and exit codes: `launch.py --help` and docs/booting.md.
"""

import argparse
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import accel as accel_choice  # noqa: E402  (a sibling script, found through the line above)
import console  # noqa: E402
import kernels  # noqa: E402

QEMU = "qemu-system-x86_64"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Exit codes. Below ExitGuestStatusTooLarge the code is the guest's own status, written to the
# isa-debug-exit port; the launcher's own outcomes sit above it so a caller can tell them apart.
ExitGuestStatusTooLarge = 119   # the guest's status does not fit below the reserved range
ExitLaunchError = 120           # bad option, missing file, QEMU not installed
ExitQemuError = 121             # QEMU refused to start or died on a signal
ExitTimeout = 124               # --timeout expired and QEMU was killed (the number GNU timeout uses)
ExitGuestReset = 125            # QEMU exited 0: with -no-reboot that means a reset (triple fault?)

EXIT_DEVICE = "isa-debug-exit,iobase=0xf4,iosize=0x04"
# --disk images become virtio-blk devices at fixed PCI slots from here up, in order: free on both
# QEMU's pc (00-02 are the host bridge, PIIX3, VGA) and q35 (00, 01 and 1f are taken).
FirstDiskSlot = 4
MaxDisks = 8
# `--cpu sel4`: the CPU model seL4's own `simulate` script gives QEMU for x86_64 (pc99), which the
# reference binaries in ../shared/sel4 were built for (its README).
# An seL4 kernel gets it by default (scripts/kernels.py).
CPU_PRESETS = {"sel4": kernels.SEL4_CPU}
GDB_DEFAULT_PORT = 1234


class LaunchError(Exception):
    """A problem found before QEMU starts; main() prints it as one line and exits ExitLaunchError."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"launch: {message}", file=sys.stderr)
        sys.exit(ExitLaunchError)


def parse_arguments(argv):
    parser = Parser(
        prog="launch.py",
        description="Boot Tessera in QEMU: the kernel by Multiboot 1 (-kernel), the root task as "
        "the first Multiboot module, then any --module in order.",
        epilog="Arguments after a lone `--` go to QEMU unchanged. Exit status: the guest's own "
        f"status (0-{ExitGuestStatusTooLarge - 1}); {ExitGuestStatusTooLarge} guest status too "
        f"large; {ExitLaunchError} launcher error; {ExitQemuError} QEMU error; {ExitTimeout} "
        f"timeout; {ExitGuestReset} guest reset (triple fault?).")
    parser.add_argument("--build", default="build", metavar="DIR",
                        help="build directory holding kernel/ and user/ (default: build)")
    parser.add_argument("--kernel", metavar="FILE|NAME",
                        help="32-bit Multiboot kernel ELF, or a name: " + ", ".join(kernels.NAMES) +
                        " (seL4's from ../shared/sel4 or $TESSERA_SEL4_DIR; default: "
                        "DIR/kernel/tessera.elf)")
    parser.add_argument("--root-task", metavar="FILE",
                        help="root task ELF64, any (seL4 pc99 ones too) "
                        "(default: DIR/user/roottask/roottask.elf)")
    parser.add_argument("--module", metavar="FILE", action="append", default=[],
                        help="extra Multiboot module after the root task (repeatable)")
    parser.add_argument("--append", metavar="ARGS", default="",
                        help="kernel command line (Multiboot cmdline after the kernel's name)")
    parser.add_argument("--accel", choices=accel_choice.VALID,
                        help="default: TESSERA_ACCEL, else kvm only with vmx/svm and a usable "
                        "/dev/kvm, else tcg")
    parser.add_argument("--icount", action="store_true",
                        help="TCG with -icount shift=0: the guest TSC counts instructions "
                        "(benchmarks)")
    parser.add_argument("--cpu", help='QEMU CPU model, or `sel4` for the model seL4 itself runs '
                        "under, optionally with more features (`sel4,+rdtscp`) (default: \"max\" "
                        "under tcg, \"host\" under kvm; seL4's own model for an seL4 kernel)")
    parser.add_argument("--memory", default="512M", help="guest RAM (default: 512M)")
    parser.add_argument("--serial-file", metavar="FILE|stdio", default="stdio",
                        help="where COM1 goes (default: stdio)")
    parser.add_argument("--serial-input", metavar="FILE",
                        help="COM1's input: the bytes of FILE (QEMU's standard input), then "
                        "nothing more; not with --interactive")
    parser.add_argument("--com2", metavar="FILE|unix:PATH|tcp:HOST:PORT|loopback|none", default="none",
                        help="backend of COM2; `loopback` sends every byte back to it, `none` keeps "
                        "the port but connects nothing "
                        "(default: none)")
    parser.add_argument("--disk", metavar="IMAGE[,ro][,blkdebug=CONF][,iops=N]", action="append",
                        default=[],
                        help="attach a raw disk image as a virtio-blk device (repeatable): the Nth "
                        f"--disk is PCI device 00:{FirstDiskSlot:02x}.0 + N, vendor:device 1af4:1042 "
                        "(modern virtio); written in place unless `ro`; `blkdebug=CONF` injects "
                        "errors by QEMU's blkdebug rules; `iops=N` throttles it to N requests a "
                        "second (docs/drivers.md)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help=f"stop QEMU after this long and exit {ExitTimeout}")
    parser.add_argument("--input", metavar="-|FILE|none", default="-",
                        help="what COM1 receives off a terminal: this program's standard input "
                        "(-, the default) or FILE, then the byte 0x04 as end of file; `none`: "
                        "nothing, and no end")
    parser.add_argument("--idle-quiet", type=float, metavar="SECONDS", default=console.QUIET_SECONDS,
                        help="after input has ended, how long the system must stay idle and "
                        "quiet before the run ends (default: %(default)s)")
    parser.add_argument("--remove", metavar="FILE", action="append", default=[],
                        help="delete FILE when the run ends, however it ends (a temporary image; "
                        "repeatable)")
    parser.add_argument("--interactive", action="store_true",
                        help="serial on this terminal with QEMU's Ctrl-A keys (Ctrl-A X quits)")
    parser.add_argument("--gdb", action="store_true",
                        help="start halted with a gdb stub, print the gdb command to attach")
    parser.add_argument("--gdb-port", type=int, default=GDB_DEFAULT_PORT,
                        help=f"gdb stub TCP port (default: {GDB_DEFAULT_PORT})")
    parser.add_argument("--extra", metavar="ARGS", action="append", default=[],
                        help='more QEMU arguments, shell-split (repeatable): --extra "-d int"')
    parser.add_argument("--dry-run", action="store_true",
                        help="print the QEMU command and exit 0 (without the private "
                        "-d cpu_reset log a real run adds)")
    if "--" in argv:
        split = argv.index("--")
        argv, passthrough = argv[:split], argv[split + 1:]
    else:
        passthrough = []
    options = parser.parse_args(argv)
    if options.idle_quiet < 0:
        parser.error("--idle-quiet: seconds, 0 or more")
    options.passthrough = passthrough
    return options


def elf_class(path):
    """Returns 32 or 64 for an ELF file, None for anything else (unreadable, not ELF)."""
    try:
        with open(path, "rb") as file:
            ident = file.read(5)
    except OSError:
        return None
    if len(ident) < 5 or ident[:4] != b"\x7fELF":
        return None
    return {1: 32, 2: 64}.get(ident[4])


def require_file(path, what):
    if not os.path.isfile(path):
        raise LaunchError(f"{what} {path!r} does not exist (build it first: `make build`)")


def multiboot_module_list(paths):
    """QEMU's -initrd syntax for Multiboot modules: comma-separated, commas in names doubled.

    QEMU cuts each entry at its first space (the rest is the module's command line), so a path
    with a space would load the wrong file: refuse it rather than boot something else.
    """
    for path in paths:
        if any(c.isspace() for c in path):
            raise LaunchError(f"module path {path!r} contains white space, which QEMU's "
                              "Multiboot loader cannot take; move or link the file")
    return ",".join(path.replace(",", ",,") for path in paths)


def free_udp_port():
    """A UDP port on 127.0.0.1 that nothing holds right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def com2_backend(value):
    if value == "none":
        return "null"   # the 16550 still exists at 0x2f8; nothing is connected to it
    if value == "loopback":
        # QEMU sends what the guest transmits to a UDP port it also listens on, so every byte
        # comes back as received data: the user-level UART driver test (issue 6) needs no peer.
        port = free_udp_port()
        return f"udp:127.0.0.1:{port}@127.0.0.1:{port}"
    if value.startswith("unix:"):
        return f"{value},server=on,wait=off"
    if value.startswith(("tcp:", "udp:", "pty", "file:", "pipe:", "null")):
        return value
    return f"file:{value}"


def disk_arguments(specs):
    """QEMU arguments for the --disk options: a raw drive and a modern virtio-blk device each."""
    if len(specs) > MaxDisks:
        raise LaunchError(f"at most {MaxDisks} --disk images (PCI slots "
                          f"{FirstDiskSlot:02x}-{FirstDiskSlot + MaxDisks - 1:02x})")
    arguments = []
    for index, spec in enumerate(specs):
        path, *flags = spec.split(",")
        read_only, blkdebug, iops = False, None, None
        for flag in flags:
            if flag == "ro":
                read_only = True
            elif flag.startswith("blkdebug="):
                blkdebug = flag[len("blkdebug="):]
            elif flag.startswith("iops=") and flag[len("iops="):].isdigit() and int(flag[len("iops="):]) > 0:
                iops = int(flag[len("iops="):])
            else:
                raise LaunchError(f"--disk {spec!r}: unknown flag {flag!r} "
                                  "(expected ro, blkdebug=CONF or iops=N)")
        require_file(path, "disk image")
        if blkdebug is not None:
            require_file(blkdebug, "blkdebug rules")
        # QEMU's option syntax doubles commas inside values.
        file = os.path.abspath(path).replace(",", ",,")
        if blkdebug is not None:
            file = f"blkdebug:{os.path.abspath(blkdebug).replace(',', ',,')}:{file}"
        drive = f"file={file},if=none,id=disk{index},format=raw,cache=writeback"
        if read_only:
            drive += ",readonly=on"
        if iops is not None:
            # QEMU's throttling: requests wait on the device, as on a slow disk.
            drive += f",throttling.iops-total={iops}"
        # With injected errors or throttling, requests are not merged: a rule then fails exactly
        # the guest requests that touch its sector, and each guest request counts once.
        merging = ",request-merging=off" if blkdebug is not None or iops is not None else ""
        arguments += ["-drive", drive, "-device",
                      f"virtio-blk-pci,drive=disk{index},disable-legacy=on,"
                      f"addr={FirstDiskSlot + index:#x}{merging}"]
    return arguments


def choose_accelerator(options):
    """Returns (accel, reason), honouring --icount (TCG only) and --accel before the host probe."""
    if options.icount:
        if options.accel == "kvm":
            raise LaunchError("--icount needs TCG: drop --accel kvm")
        return "tcg", "--icount counts instructions only under TCG"
    if options.accel:
        return options.accel, "set by --accel"
    try:
        return accel_choice.choose()
    except ValueError as error:
        raise LaunchError(str(error)) from None


def kernel_file(options):
    """The kernel file the options name (a path, or a name kernels.resolve knows)."""
    try:
        return kernels.resolve(options.kernel, options.build)
    except kernels.KernelError as error:
        raise LaunchError(str(error)) from None


def default_cpu(accel, kernel_flavour):
    """seL4's binaries were configured for one CPU model (no XSAVE, FS/GS base through MSRs): give
    them that one; Tessera detects features by CPUID and takes the richest model."""
    if kernels.is_sel4(kernel_flavour):
        return "sel4"
    return "host" if accel == "kvm" else "max"


def build_command(options, accel):
    """The complete QEMU command line for these options, as a list of arguments."""
    build = options.build
    kernel = kernel_file(options)
    root_task = options.root_task or os.path.join(build, "user", "roottask", "roottask.elf")
    cpu = options.cpu or default_cpu(accel, kernels.flavour(kernel))
    preset, _, more = cpu.partition(",")   # `sel4,+rdtscp`: the preset with more features
    if preset in CPU_PRESETS:
        cpu = CPU_PRESETS[preset] + ("," + more if more else "")
    on_terminal = options.interactive or options.gdb
    serial_to_file = options.serial_file != "stdio"

    if serial_to_file:
        com1 = f"file:{options.serial_file}"
    elif on_terminal:
        # mon:stdio multiplexes the monitor onto the terminal: that is what makes Ctrl-A X work.
        com1 = "mon:stdio"
    else:
        com1 = "stdio"

    command = [QEMU, "-accel", accel, "-cpu", cpu, "-m", options.memory]
    if options.icount:
        command += ["-icount", "shift=0"]
    command += ["-kernel", kernel, "-initrd", multiboot_module_list([root_task, *options.module])]
    if options.append:
        command += ["-append", options.append]
    command += ["-serial", com1, "-serial", com2_backend(options.com2)]
    if not on_terminal:
        command += ["-monitor", "none"]
    elif serial_to_file:
        command += ["-monitor", "stdio"]   # the terminal is left to the monitor alone
    command += ["-display", "none", "-nic", "none", "-no-reboot", "-device", EXIT_DEVICE]
    command += disk_arguments(options.disk)
    if options.gdb:
        port = options.gdb_port
        command += ["-s"] if port == GDB_DEFAULT_PORT else ["-gdb", f"tcp::{port}"]
        command += ["-S"]
    for extra in options.extra:
        command += shlex.split(extra)
    command += options.passthrough
    return command, kernel, root_task


def describe_kernel(kernel, options):
    """One line on stderr when the kernel is seL4's, saying what differs from a Tessera boot."""
    kernel_flavour = kernels.flavour(kernel)
    if not kernels.is_sel4(kernel_flavour):
        return
    what = "debug: kernel printing on" if kernel_flavour == kernels.FLAVOUR_SEL4_DEBUG \
        else "release: no kernel printing, no debug system calls"
    ending = "the system's exit" + (f" or the {options.timeout:g} s time limit" if options.timeout
                                    else " (no --timeout given)")
    print(f"launch: kernel seL4 ({what}), CPU model {options.cpu or 'of seL4'}; "
          f"seL4 has no idle exit: the run ends on {ending}", file=sys.stderr)


def check_inputs(kernel, root_task, modules):
    require_file(kernel, "kernel")
    kind = elf_class(kernel)
    if kind == 64:
        raise LaunchError(f"kernel {kernel!r} is ELF64; QEMU's -kernel boots only the 32-bit "
                          "image (tessera.elf, not tessera.elf64)")
    if kind != 32:
        raise LaunchError(f"kernel {kernel!r} is not an ELF file")
    require_file(root_task, "root task")
    if elf_class(root_task) != 64:
        # Not fatal: the kernel's bad-input tests boot corrupt root tasks on purpose.
        print(f"launch: note: root task {root_task!r} is not an ELF64 file", file=sys.stderr)
    for module in modules:
        require_file(module, "module")


def gdb_command(options, kernel):
    """The gdb command line that loads the 64-bit kernel's symbols and attaches to the stub."""
    symbols = kernel[:-len(".elf")] + ".elf64" if kernel.endswith(".elf") else kernel
    gdbinit = os.path.relpath(os.path.join(REPO, "scripts", "gdbinit"))
    prefix = f"TESSERA_GDB_PORT={options.gdb_port} " if options.gdb_port != GDB_DEFAULT_PORT else ""
    return f"{prefix}gdb -q {shlex.quote(symbols)} -x {shlex.quote(gdbinit)}"


class QemuErrorWatch:
    """Copies QEMU's stderr through and remembers whether QEMU itself reported an error.

    Needed because a guest writing status 0 and QEMU failing to start both exit with 1.
    """

    def __init__(self, stream):
        self.saw_error = False
        self._stream = stream
        self._thread = threading.Thread(target=self._copy, daemon=True)
        self._thread.start()

    def _copy(self):
        own_stop = f"terminating on signal 15 from pid {os.getpid()}"
        for raw in iter(self._stream.readline, b""):
            line = raw.decode("utf-8", errors="replace")
            if own_stop in line:
                continue   # the launcher stopped QEMU itself and says why in its own words
            sys.stderr.write(line)
            sys.stderr.flush()
            head = line.split(":", 1)[0]
            if head.startswith("qemu") and "warning" not in line.lower() \
                    and "terminating on signal" not in line:
                self.saw_error = True

    def join(self):
        self._thread.join(timeout=5)


def interpret_status(status, qemu_error, triple_fault=None):
    """Maps QEMU's exit status to the launcher's, with a one-line explanation on stderr.

    triple_fault: True or False when QEMU's reset log was read, None when it was not kept.
    """
    if status < 0:
        print(f"launch: QEMU killed by signal {-status}", file=sys.stderr)
        return ExitQemuError
    if status == 0:
        if triple_fault:
            print("launch: guest reset: triple fault (QEMU logged it). To see the exceptions "
                  "that led to it: --extra \"-d int,cpu_reset\" (docs/debugging.md)",
                  file=sys.stderr)
        elif triple_fault is None:
            print("launch: guest reset (triple fault?): QEMU exited 0 under -no-reboot",
                  file=sys.stderr)
        else:
            print("launch: QEMU exited 0 without a guest status: quit from the terminal or "
                  "monitor, or a guest reset", file=sys.stderr)
        return ExitGuestReset
    if status == 1 and qemu_error:
        print("launch: QEMU failed (its message is above)", file=sys.stderr)
        return ExitQemuError
    if status % 2 == 0:
        print(f"launch: QEMU exited with {status}, not through the exit device", file=sys.stderr)
        return ExitQemuError
    guest = status >> 1
    print(f"launch: guest exited with status {guest}", file=sys.stderr)
    return guest if guest < ExitGuestStatusTooLarge else ExitGuestStatusTooLarge


def wants_own_log(command):
    """True when the user's extra arguments already choose QEMU's log items or log file."""
    return any(arg in ("-d", "-D") or arg.startswith(("-d=", "-D=")) for arg in command)


def reset_log_says_triple_fault(path):
    """QEMU logs "Triple fault" under -d cpu_reset just before -no-reboot turns it into an exit."""
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            return any(line.startswith("Triple fault") for line in log)
    except OSError:
        return None


def ask_to_quit(qemu):
    """Sends QEMU SIGTERM without waiting (safe in a signal handler: it takes no lock). QEMU then
    restores the terminal it made raw and exits."""
    if qemu.returncode is None:
        try:
            os.kill(qemu.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def terminal_state():
    """The terminal's settings when stdin is one, so they can be put back whatever QEMU does."""
    try:
        return termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, ValueError, OSError):
        return None


def input_source(options):
    """(file descriptor, whether its end is delivered) of COM1's input off a terminal, or
    (None, False) for `--input none`. --serial-input FILE wins: its bytes, then nothing more, as
    if input stayed open (so no end of file and no end at idle)."""
    path = options.serial_input or (None if options.input in ("-", "none") else options.input)
    if path is None:
        if options.input == "none" or sys.stdin is None:
            return None, False
        return sys.stdin.fileno(), True
    try:
        return os.open(path, os.O_RDONLY), not options.serial_input
    except OSError as error:
        raise LaunchError(f"input {path!r}: {error.strerror}") from None


def run(command, options, kernel):
    on_terminal = options.interactive or options.gdb
    if on_terminal and options.serial_file != "stdio":
        print(f"launch: serial in {options.serial_file}; QEMU monitor on this terminal. "
              "Quit: type `quit`.", file=sys.stderr)
    elif on_terminal:
        print("launch: serial console on this terminal. Quit: Ctrl-A X.  "
              "QEMU monitor: Ctrl-A C.", file=sys.stderr)
    if options.gdb:
        print(f"launch: QEMU is halted, waiting for gdb on port {options.gdb_port}. "
              "In another terminal run:", file=sys.stderr)
        print(f"    {gdb_command(options, kernel)}", file=sys.stderr)
    sys.stderr.flush()

    # A small private log tells a triple fault from other ways of exiting 0 (Ctrl-A X, the
    # monitor's quit). It costs two CPU-state dumps at power-on, and is left out when the user
    # chose their own -d/-D (QEMU keeps one log setting).
    reset_log = None
    if not wants_own_log(command):
        handle, reset_log = tempfile.mkstemp(prefix="tessera-qemu-reset-", suffix=".log")
        os.close(handle)
        command = [*command, "-d", "cpu_reset", "-D", reset_log]
    try:
        return supervise(command, options, kernels.flavour(kernel), reset_log)
    finally:
        if reset_log is not None:
            os.unlink(reset_log)


class Run:
    """QEMU and the relays of one run, and why the launcher ended it (if it did)."""

    def __init__(self, command, options, kernel_flavour):
        self.on_terminal = options.interactive or options.gdb
        # On a terminal QEMU owns it (mon:stdio). Off one the launcher relays COM1 both ways, so
        # that input can end with an end of file and output reaches its reader as it comes.
        relay = not self.on_terminal and options.serial_file == "stdio"
        source, deliver_end = input_source(options) if relay else (None, False)
        if self.on_terminal:
            stdin = None
        else:
            stdin = subprocess.PIPE if source is not None else subprocess.DEVNULL
        self.qemu = subprocess.Popen(command, stdin=stdin, stderr=subprocess.PIPE,
                                     stdout=subprocess.PIPE if relay else None)
        self.errors = QemuErrorWatch(self.qemu.stderr)
        self.output = console.OutputRelay(self.qemu.stdout, sys.stdout.fileno()) if relay else None
        self.input = console.InputRelay(
            source, self.qemu.stdin, deliver_end,
            self.output.started if self.output is not None else None) \
            if source is not None else None
        # seL4 has no idle line (and no idle exit): its runs end on exit or at the time limit.
        self.watch_idle = self.input is not None and not kernels.is_sel4(kernel_flavour)
        self.signals = []       # signals that asked the launcher to stop
        self.reason = None      # "timeout" or "idle" once the launcher stopped QEMU itself
        self.kill_at = None     # when to kill a QEMU that ignores SIGTERM
        self.idle_quiet = options.idle_quiet

    def on_signal(self, signum, _frame):
        self.signals.append(signum)
        ask_to_quit(self.qemu)

    def stop(self, reason, now):
        self.reason = reason
        ask_to_quit(self.qemu)
        self.kill_at = now + 5

    def wait(self, timeout):
        """QEMU's exit status, once it has exited and the relays have drained."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                status = self.qemu.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if self.signals and self.kill_at is None:
                self.kill_at = now + 5
            if self.kill_at is not None and now >= self.kill_at:
                self.qemu.kill()
            elif self.reason is None and deadline is not None and now >= deadline:
                self.stop("timeout", now)
            elif self.reason is None and self.watch_idle and \
                    console.idle_after_input(self.input, self.output, now, self.idle_quiet):
                self.stop("idle", now)
        if self.output is not None:
            self.output.join(timeout=5)
        self.errors.join()
        return status


def supervise(command, options, kernel_flavour, reset_log):
    """Runs QEMU to its end, the time limit, idleness after input or a signal; returns the
    launcher's exit status."""
    saved_terminal = terminal_state() if (options.interactive or options.gdb) else None
    run_ = Run(command, options, kernel_flavour)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, run_.on_signal)
    # Ctrl-C on the terminal belongs to QEMU (it forwards it to the guest), never to this wrapper.
    signal.signal(signal.SIGINT, signal.SIG_IGN if run_.on_terminal else run_.on_signal)
    try:
        status = run_.wait(None if options.gdb else options.timeout)
    finally:
        if saved_terminal is not None:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved_terminal)
    guest_exited = status > 0 and status % 2 == 1
    if run_.signals and not guest_exited:
        signum = run_.signals[0]
        print(f"launch: stopped by signal {signum} ({signal.Signals(signum).name}); QEMU stopped",
              file=sys.stderr)
        return 128 + signum
    if run_.reason == "timeout" and not guest_exited:
        print(f"launch: timeout: no exit after {options.timeout:g} s, QEMU stopped",
              file=sys.stderr)
        return ExitTimeout
    if run_.reason == "idle" and not guest_exited:
        print("launch: the system is idle and its input has ended: QEMU stopped", file=sys.stderr)
        return 0
    triple_fault = reset_log_says_triple_fault(reset_log) if reset_log else None
    return interpret_status(status, run_.errors.saw_error, triple_fault)


def main(argv):
    options = parse_arguments(argv)
    try:
        accel, reason = choose_accelerator(options)
        command, kernel, root_task = build_command(options, accel)
        print(f"launch: accelerator {accel} ({reason})", file=sys.stderr)
        describe_kernel(kernel, options)
        if options.dry_run:
            print(shlex.join(command))
            return 0
        if shutil.which(QEMU) is None:
            raise LaunchError(f"{QEMU} not found: run scripts/install-deps.sh")
        check_inputs(kernel, root_task, options.module)
        if options.serial_input:
            require_file(options.serial_input, "serial input")
        return run(command, options, kernel)
    except LaunchError as error:
        print(f"launch: {error}", file=sys.stderr)
        return ExitLaunchError
    finally:
        for path in (options.remove if not options.dry_run else []):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
