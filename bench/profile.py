#!/usr/bin/env python3
"""Where the kernel's instructions go in each in-system benchmark: an instruction-level profile.

Boots the smoke build of the in-system suite (bench_suite_smoke.elf) under QEMU TCG with
`-icount shift=0 -singlestep -d exec,nochain`: every executed instruction is its own translation
block and QEMU logs each one it runs. `-dfilter` keeps only the kernel's text and the suite's two
window markers (bench/system/profile_window.h), which the suite executes when a benchmark's
iterations begin and when its figures are reported. Each kernel instruction inside a window is
attributed to the kernel symbol that holds it (from `nm`), and the counts are divided by the
window's iterations (warm-up plus measured, from the suite's first line).

    bench/profile.py --build build                       # every benchmark, top 25 symbols each
    bench/profile.py --build build --benchmark ipc_roundtrip_cross_as --top 60

Figures are per iteration and count only kernel instructions: the user-level stubs and the TSC
reads are not in them, so they are below the `make bench` figures by that much. Windows of the
one-way benchmarks (ipc_oneway, notify_cross_as) and of yield_switch also hold their threads'
creation, a fixed cost spread over the iterations. The trace of the smoke run takes about a
minute and a few hundred megabytes in a temporary directory, removed afterwards.
"""

import argparse
import bisect
import collections
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
LAUNCH = os.path.join(REPO, "scripts", "launch.py")
MARKERS = ("bench_profile_window_begin", "bench_profile_window_end", "bench_profile_window_index")
# QEMU 7.2's exec log: "Trace 0: 0x7f.. [cs_base/pc/flags/cflags] symbol".
TRACE_LINE = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
SIZE_LINE = re.compile(r"\((\w+): (\d+) warm-up \+ (\d+) measured iterations each\)")
# The line after which tracing starts: null_syscall (or its stand-in) is not profiled, and a
# window that began before QEMU's log was switched on is left out.
FIRST_TRACED_AFTER = r"BENCH name=(null_syscall|yield_alone) "
BENCH_LINE = re.compile(r"BENCH name=([a-z0-9_.]+) ")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory (default: build)")
    parser.add_argument("--benchmark", action="append", default=[],
                        help="only this benchmark (repeatable, in the suite's order: the run "
                        "stops after the last one; default: all)")
    parser.add_argument("--top", type=int, default=25, help="symbols shown per benchmark")
    parser.add_argument("--annotate", action="append", default=[], metavar="SYMBOL",
                        help="also list this kernel symbol's instructions, each with the times "
                        "it ran per iteration (repeatable; the name as `nm -C` prints it)")
    parser.add_argument("--trace", help="parse this existing trace instead of booting "
                        "(needs --serial as well)")
    parser.add_argument("--serial", help="the serial log that goes with --trace")
    # The first retype from an untyped clears all of it, instruction by instruction in the trace:
    # a small guest keeps the largest untyped, and the trace, small.
    parser.add_argument("--memory", default="40M", help="guest RAM (default: 40M)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds QEMU may run")
    return parser.parse_args(argv)


def text_symbols(elf):
    """[(address, name)] of the function symbols of `elf`, sorted by address."""
    try:
        output = subprocess.run(["nm", "-n", "-C", "--defined-only", elf], check=True,
                                capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"profile: cannot read the symbols of {elf}: {error}")
    symbols = []
    for line in output.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            symbols.append((int(parts[0], 16), parts[2]))
    return symbols


class Symbolizer:
    def __init__(self, symbols):
        self.addresses = [address for address, _ in symbols]
        self.names = [name for _, name in symbols]

    def name(self, address):
        index = bisect.bisect_right(self.addresses, address) - 1
        return self.names[index] if index >= 0 else f"0x{address:x}"


def marker_addresses(root_task):
    found = {name: address for address, name in text_symbols(root_task) if name in MARKERS}
    missing = [name for name in MARKERS if name not in found]
    if missing:
        raise SystemExit(f"profile: {root_task} has no {', '.join(missing)}: rebuild it")
    return tuple(found[name] for name in MARKERS)


def monitor_command(socket_path, command):
    """Sends one HMP command to QEMU's monitor socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as monitor:
        monitor.connect(socket_path)
        monitor.sendall(command.encode() + b"\n")
        time.sleep(0.2)  # let QEMU read it before the socket closes


def wait_for_line(path, pattern, process, deadline):
    """Waits until the serial log holds a line matching `pattern`; False if QEMU ended first."""
    while time.monotonic() < deadline and process.poll() is None:
        if os.path.exists(path):
            with open(path, errors="replace") as file:
                if any(re.search(pattern, line) for line in file):
                    return True
        time.sleep(0.05)
    return False


def boot_with_trace(options, kernel, root_task, kernel_range, markers, scratch, trace, serial):
    """Boots the suite single-stepping, and logs executed instructions once the first benchmark
    after timer_overhead has reported: before that come the boot and the first retype from the
    suite's untyped, which clears all of it, millions of instructions nobody asked about. QEMU's
    log is switched on through its monitor; the next benchmark's window comes long after."""
    start, end = kernel_range
    dfilter = f"0x{start:x}..0x{end:x}," + ",".join(f"0x{marker:x}+1" for marker in markers)
    monitor = os.path.join(scratch, "monitor.sock")
    extra = f"-singlestep -dfilter {dfilter} -D {trace} -monitor unix:{monitor},server=on,wait=off"
    command = [sys.executable, LAUNCH, "--build", options.build, "--kernel", kernel,
               "--root-task", root_task, "--icount", "--serial-file", serial,
               "--memory", options.memory, "--timeout", str(options.timeout), "--extra", extra]
    print(f"profile: booting {os.path.basename(root_task)} single-stepped", file=sys.stderr,
          flush=True)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + options.timeout
    try:
        if not wait_for_line(serial, FIRST_TRACED_AFTER, process, deadline):
            raise SystemExit("profile: the suite did not start (see the launcher's output)")
        monitor_command(monitor, "log exec,nochain")
        print("profile: tracing the kernel's instructions", file=sys.stderr, flush=True)
        last = options.benchmark[-1] if options.benchmark else None
        done = rf"BENCH name={re.escape(last)} " if last else r"BENCH-END"
        if not wait_for_line(serial, done, process, deadline):
            raise SystemExit("profile: the suite ended or timed out before the benchmark's figures")
        monitor_command(monitor, "quit")
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if not os.path.exists(trace):
        raise SystemExit("profile: QEMU left no trace")


def read_serial(path):
    with open(path, errors="replace") as file:
        text = file.read()
    size = SIZE_LINE.search(text)
    if size is None:
        raise SystemExit(f"profile: {path} has no suite size line: did the suite start?")
    iterations = int(size.group(2)) + int(size.group(3))
    return iterations, BENCH_LINE.findall(text)


def count_windows(trace, markers, names):
    """[(name, Counter of address -> instructions)] for each window the trace holds whole. A
    window's index marker count is the number of BENCH lines before its own."""
    begin, end, index = markers
    windows = []
    current = None
    position = 0
    with open(trace, errors="replace") as file:
        for line in file:
            match = TRACE_LINE.match(line)
            if match is None:
                continue
            pc = int(match.group(1), 16)
            if pc == begin:
                current = collections.Counter()
                position = 0
            elif pc == index:
                position += 1
            elif pc == end:
                if current is not None and position < len(names):
                    windows.append((names[position], current))
                current = None
            elif current is not None:
                current[pc] += 1
    return windows


def by_symbol(counts, symbolizer):
    """Counter of address -> instructions, summed per symbol."""
    result = collections.Counter()
    for pc, n in counts.items():
        result[symbolizer.name(pc)] += n
    return result


def disassembly(elf, start, stop):
    """[(address, text)] of the instructions of `elf` in [start, stop)."""
    try:
        output = subprocess.run(["objdump", "-d", "-C", "--no-show-raw-insn",
                                 f"--start-address=0x{start:x}", f"--stop-address=0x{stop:x}", elf],
                                check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"profile: cannot disassemble {elf}: {error}")
    lines = []
    for line in output.splitlines():
        match = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", line)
        if match:
            lines.append((int(match.group(1), 16), match.group(2).strip()))
    return lines


def annotate(elf, symbols, wanted, counts, iterations):
    """Prints each instruction of the symbols named in `wanted` with its runs per iteration."""
    for position, (address, name) in enumerate(symbols):
        if name not in wanted:
            continue
        stop = symbols[position + 1][0] if position + 1 < len(symbols) else address + 0x1000
        print(f"  {name}:")
        for pc, text in disassembly(elf, address, stop):
            n = counts.get(pc, 0)
            print(f"{n / iterations:14.1f}  {pc:x}  {text}" if n else f"{'':14}  {pc:x}  {text}")


def report(windows, iterations, wanted, top, symbolizer, annotation):
    for name, raw in windows:
        if wanted and name not in wanted:
            continue
        counts = by_symbol(raw, symbolizer)
        total = sum(counts.values())
        print(f"\n{name}: {total / iterations:.1f} kernel instructions per iteration "
              f"({total} over {iterations} iterations)")
        print(f"{'per iteration':>14}  symbol")
        for symbol, n in counts.most_common(top):
            print(f"{n / iterations:14.1f}  {symbol}")
        if annotation:
            annotate(*annotation, raw, iterations)


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    kernel = os.path.join(options.build, "kernel", "tessera.elf")     # what QEMU boots
    symbols_of = os.path.join(options.build, "kernel", "tessera.elf64")  # the same, with symbols
    root_task = os.path.join(options.build, "bench", "system", "bench_suite_smoke.elf")
    for path in (kernel, symbols_of, root_task):
        if not os.path.exists(path):
            raise SystemExit(f"profile: {path} is missing: build first (ninja -C {options.build})")
    symbols = text_symbols(symbols_of)
    kernel_symbols = [(a, n) for a, n in symbols if a >= 0xffff800000000000]
    if not kernel_symbols:
        raise SystemExit(f"profile: {symbols_of} has no higher-half text symbols")
    kernel_range = (kernel_symbols[0][0], kernel_symbols[-1][0] + 0x10000)
    markers = marker_addresses(root_task)
    with tempfile.TemporaryDirectory(prefix="tessera-profile-") as scratch:
        trace = options.trace or os.path.join(scratch, "trace.log")
        serial = options.serial or os.path.join(scratch, "serial.log")
        if not options.trace:
            boot_with_trace(options, kernel, root_task, kernel_range, markers, scratch, trace, serial)
        iterations, names = read_serial(serial)
        windows = count_windows(trace, markers, names)
    if not windows:
        raise SystemExit("profile: no complete benchmark window in the trace")
    annotation = (symbols_of, kernel_symbols, set(options.annotate)) if options.annotate else None
    report(windows, iterations, set(options.benchmark), options.top, Symbolizer(kernel_symbols),
           annotation)
    return 0


if __name__ == "__main__":
    sys.exit(main())
