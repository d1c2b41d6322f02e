#!/usr/bin/env python3
"""The VMM's Linux-guest benchmarks (issue 24), in instructions under -icount shift=0: Debian's
kernel and one initramfs booted twice, nested in `tessera vm --icount` and directly by QEMU in
the Linux-guest harness's icount mode (bench/linux/guest), with the same command line and RAM.

  vmm.linux_boot_to_init         the VMM's first VMRUN (its line `vmm: entering the guest at TSC
                                 N`) to init's first TSC reading (init.c's init_tsc), less the time
                                 the guest had halted by then (init_idle_ns): the guest's boot, its
                                 exits and what the host ran while the guest did not halt
  vmm.linux_boot_to_init_qemu    QEMU's reset to init's first TSC reading, less the halted time,
                                 the same kernel booted by QEMU (-kernel): includes SeaBIOS, the
                                 linuxboot option ROM and the real-mode setup code, which the
                                 VMM's 64-bit entry skips
  vmm.virtio_blk_read_4k         one 4 KiB O_DIRECT pread of /dev/vda in the nested guest
                                 (bench/linux/guest/programs/block_pread.c, random 4 KiB-aligned
                                 offsets): the guest's virtio-blk over the VMM's device model, the
                                 block virtualiser and the virtio-blk driver
  vmm.virtio_blk_read_4k_qemu    the same read in the guest QEMU boots, on QEMU's virtio-blk

Halted time. Under -icount with QEMU's default sleep=on, time in which every CPU halts passes at
real time, not by instructions. The reads are timed with guest_bench's span, which takes the
guest's own idle time (halted waiting for the disk) out: what remains is what ran while the guest
did not halt (the guest's instructions, and in the nested case the exits' handling by the host
kernel and the VMM). The work done while the guest halts (the host's driver stack, QEMU's disk) is
left out, and its real time reported apart as idle_ns per read. The boot figures take the
guest's halted time out the same way (the ATA probe's sleeps in QEMU's own PC, timer waits),
and the JSON keeps the whole span and the halted time beside them.

Writes BENCH lines (bench/bench_lines.py's format, with the guest kernel's release as `kernel=`)
to --log for bench/report.py, and everything (the kernel package, both runs' figures, the idle
time) to --json. The log is written whatever happens, with a note line when a run failed, so
that `make bench`'s report still comes out. Exit status 0 unless the log cannot be written.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GUEST = os.path.join(REPO, "bench", "linux", "guest")
sys.path.insert(0, GUEST)
import guest_lines  # noqa: E402
import linux_guest  # noqa: E402

BLOCK_PROGRAM = os.path.join(GUEST, "programs", "block_pread.c")
READ_NAME = "pread_4k_random_direct_per_kib"
# The words `tessera vm`'s default command line adds (no_timer_check: docs/vmm.md); the direct
# boot gets the same.
EXTRA_APPEND = "nokaslr no_timer_check"
GUEST_MEMORY = "128M"
# --idle-poll: the guest's idle loop polls instead of halting, so that no time passes halted
# (under -icount's sleep=on halted time passes at real time, and /proc/timer_list did not see it).
IDLE_POLL_APPEND = "idle=poll"
DISK_BYTES = 16 << 20
ENTRY_LINE = re.compile(r"^vmm: entering the guest at TSC (\d+)\s*$")
POWEROFF_LINE = re.compile(r"^vmm: the guest powered off after (\d+) exits")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--tessera", required=True, help="the tessera tool (tessera vm)")
    parser.add_argument("--log", required=True, help="the BENCH lines, for report.py")
    parser.add_argument("--json", required=True, help="the whole document")
    parser.add_argument("--reads", type=int, default=256, help="4 KiB reads per timed loop")
    parser.add_argument("--loops", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=32)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per boot")
    parser.add_argument("--disk", help="the disk image (default: a 16 MiB one in the build)")
    parser.add_argument("--keep", help="a directory for both runs' logs")
    parser.add_argument("--only", choices=("nested", "qemu"), help="boot one of the two only")
    parser.add_argument("--idle-poll", action="store_true",
                        help="boot both guests with idle=poll and time the boot only: no halted "
                        "time (the BENCH names end in _idle_poll)")
    return parser.parse_args(argv)


def disk_image(options):
    """A read-only disk of pseudo-random bytes (reads of zeros are no different, but a figure
    should not depend on what the disk holds)."""
    if options.disk:
        return options.disk
    path = os.path.join(options.build, "bench", "vmm_guest_disk.img")
    if not os.path.isfile(path) or os.path.getsize(path) != DISK_BYTES:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".part", "wb") as file:
            state = 0x9E3779B97F4A7C15
            block = bytearray()
            for _ in range(4096 // 8):
                state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
                block += state.to_bytes(8, "little")
            for index in range(DISK_BYTES // 4096):
                file.write(bytes(block[:-8]) + index.to_bytes(8, "little"))
        os.replace(path + ".part", path)
    return path


def read_figure(output, runs):
    """The 4 KiB read's figures (per read, from block_pread's per-KiB ones) or None."""
    figures = guest_lines.parse(output)
    entry = figures.by_name().get(READ_NAME)
    if entry is None:
        runs["failures"] = figures.failures
        return None
    per_read = {key: entry[key] * 4 for key in ("min", "median", "max")}
    per_read["loops"] = entry["loops"]
    per_read["reads_per_loop"] = entry["iterations"]
    per_read["idle_ns_per_read"] = round(entry["idle_ns"] / (entry["loops"] * entry["iterations"]))
    return per_read


def boot_figures(elapsed, idle):
    """The boot's instructions: its TSC span less the time the guest halted (at real time under
    -icount's sleep), both kept."""
    figures = {"boot_elapsed": elapsed, "boot_idle_ns": idle}
    if idle is not None and idle < elapsed:
        figures["boot_to_init"] = elapsed - idle
    return figures


def parse_nested(output):
    """What `tessera vm`'s output says: the VMM's entry TSC, init's first TSC reading, the
    release, the exits to poweroff and the read's figures."""
    result = {}
    entry = init_tsc = idle = exits = None
    for line in output.splitlines():
        line = line.rstrip("\r")
        if ENTRY_LINE.match(line):
            entry = int(ENTRY_LINE.match(line).group(1))
        elif line.startswith("LINUX-GUEST-BEGIN "):
            fields = dict(w.partition("=")[::2] for w in line.split()[1:])
            if fields.get("init_tsc", "").isdigit():
                init_tsc = int(fields["init_tsc"])
            if fields.get("init_idle_ns", "").isdigit():
                idle = int(fields["init_idle_ns"])
            result["release"] = fields.get("release")
        elif POWEROFF_LINE.match(line):
            exits = int(POWEROFF_LINE.match(line).group(1))
    result["exits"] = exits
    if entry is not None and init_tsc is not None and init_tsc > entry:
        result["vmm_entry_tsc"] = entry
        result.update(boot_figures(init_tsc - entry, idle))
    result["read_4k"] = read_figure(output, result)
    return result


def extra_append(options):
    """The words both boots add to the harness's command line."""
    return f"{EXTRA_APPEND} {IDLE_POLL_APPEND}" if options.idle_poll else EXTRA_APPEND


def run_nested(options, kernel, initrd_path, disk, keep):
    """`tessera vm --icount`: the guest's console is the tool's standard output."""
    command = [options.tessera, "vm", "--guest-kernel", kernel.vmlinuz, "--initrd", initrd_path,
               "--append", f"{linux_guest.BASE_APPEND} {extra_append(options)}",
               "--memory", GUEST_MEMORY, "--disk", f"{disk},ro", "--icount",
               "--timeout", f"{options.timeout:g}"]
    if keep:
        command += ["--log", os.path.join(keep, "nested-system.log")]
    try:
        run = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             errors="replace", timeout=options.timeout + 120)
        output, status = run.stdout, run.returncode
        errors = run.stderr
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout or ""
        output = output.decode(errors="replace") if isinstance(output, bytes) else output
        status, errors = 124, "the tool did not end"
    if keep:
        with open(os.path.join(keep, "nested-console.log"), "w", encoding="utf-8") as file:
            file.write(output)
    result = {"status": status, "command": command}
    result.update(parse_nested(output))
    if (status != 0 or result.get("boot_to_init") is None or
            (result["read_4k"] is None and not options.idle_poll)):
        tail = "\n".join((output.splitlines() + errors.splitlines())[-15:])
        result["error"] = f"tessera vm status {status}; last lines:\n{tail}"
    return result


def run_qemu(options, harness, commands, programs, disk, keep):
    """The same kernel, initramfs (the harness makes the same bytes) and command line by QEMU."""
    try:
        run = harness.run(commands, programs=programs, disks=[linux_guest.Disk(disk, True)],
                          modules=linux_guest.VIRTIO_BLOCK_MODULES, memory=GUEST_MEMORY,
                          mode="icount", timeout=options.timeout, append=extra_append(options),
                          keep=os.path.join(keep, "qemu") if keep else None)
    except linux_guest.GuestError as error:
        return {"status": None, "error": str(error)}
    result = {"status": run.status, "release": run.release}
    if run.init_tsc is not None:
        result.update(boot_figures(run.init_tsc, run.init_idle_ns))
    result["read_4k"] = read_figure(run.output, result)
    try:
        run.check()
    except linux_guest.GuestError as error:
        result["error"] = str(error)
    return result


def bench_lines(document):
    """BENCH lines (ticks = instructions under icount); the kernel's release on each."""
    lines = []
    poll = "_idle_poll" if document.get("idle_poll") else ""
    for run_name, suffix in (("nested", poll), ("qemu", poll + "_qemu")):
        run = document.get(run_name) or {}
        release = run.get("release") or "unknown"
        boot = run.get("boot_to_init")
        if boot is not None:
            lines.append(f"BENCH name=vmm.linux_boot_to_init{suffix} unit=ticks n=1 min={boot} "
                         f"median={boot} p90={boot} p99={boot} max={boot} kernel={release}")
        read = run.get("read_4k")
        if read is not None:
            low, mid, high = (round(read[k]) for k in ("min", "median", "max"))
            lines.append(f"BENCH name=vmm.virtio_blk_read_4k{suffix} unit=ticks n={read['loops']} "
                         f"min={low} median={mid} p90={high} p99={high} max={high} "
                         f"kernel={release}")
    for run_name in ("nested", "qemu"):
        error = (document.get(run_name) or {}).get("error")
        if error:
            lines.append(f"vmm-guest-bench: the {run_name} run failed: {error.splitlines()[0]}")
    if document.get("error"):
        lines.append(f"vmm-guest-bench: {document['error'].splitlines()[0]}")
    lines.append(f"BENCH-END results={sum(line.startswith('BENCH ') for line in lines)}")
    return lines


def measure(options):
    harness = linux_guest.Harness(options.build)
    kernel = harness.kernel()
    reader = harness.compile("block_pread", [BLOCK_PROGRAM])
    # With idle=poll a read's wait for the disk is spent polling, by instructions, so the reads
    # would measure the host's disk too: that run times the boot only.
    commands = [] if options.idle_poll else [
        ["/bin/block_pread", "--iterations", str(options.reads), "--loops",
         str(options.loops), "--warmup", str(options.warmup), "--only", READ_NAME]]
    disk = disk_image(options)
    document = {"kernel": kernel.identity(), "mode": "icount", "unit": "instructions",
                "memory": GUEST_MEMORY,
                "command_line": f"{linux_guest.BASE_APPEND} {extra_append(options)}",
                "idle_poll": options.idle_poll}
    if not options.idle_poll:
        document.update(reads_per_loop=options.reads, loops=options.loops)
    keep = options.keep
    if keep:
        os.makedirs(keep, exist_ok=True)
    if options.only != "qemu":
        initrd = harness.initramfs(commands, [reader], modules=linux_guest.VIRTIO_BLOCK_MODULES,
                                   disks=1)
        with tempfile.NamedTemporaryFile(prefix="vmm-bench-initrd-", suffix=".gz") as file:
            file.write(initrd)
            file.flush()
            document["nested"] = run_nested(options, kernel, file.name, disk, keep)
    if options.only != "nested":
        document["qemu"] = run_qemu(options, harness, commands, [reader], disk, keep)
    return document


def dated_document(options):
    """measure()'s document, or the harness's refusal, with the start time and a status."""
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        document = dict(measure(options), date=date)
    except linux_guest.GuestError as error:
        document = {"error": str(error), "date": date}
    failed = [name for name in ("nested", "qemu") if (document.get(name) or {}).get("error")]
    document["status"] = "failed" if failed or document.get("error") else "complete"
    return document


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    document = dated_document(options)
    lines = bench_lines(document)
    for path, text in ((options.json, json.dumps(document, indent=2) + "\n"),
                       (options.log, "\n".join(lines) + "\n")):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
