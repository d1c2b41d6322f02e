#!/usr/bin/env python3
"""The file-system benchmarks' Linux baseline: boots Debian's kernel in the Linux-guest harness
(bench/linux/guest) on a copy of the volume Tessera's benchmark uses, runs fs_linux_bench.c in it,
and writes the figures as JSON beside Tessera's, with the ratio the issue asks about:
instructions per 4 KiB of a cold-cache 1 MiB sequential read (Linux after drop_caches, Tessera
with its service's cache emptied), for Tessera's busy figure and for its elapsed one (NAME_elapsed,
the wait for the disk included). Tessera's figures come from its serial log (bench/fs.log,
`BENCH name=fs.* unit=ticks ... median=N`, ticks being instructions under icount).

The JSON is written whatever happens; "status" says "failed" with the reason when Linux could not
be measured. Exits non-zero only when it cannot write its output.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(REPO, "bench", "linux", "guest"))
import guest_lines  # noqa: E402
import linux_guest  # noqa: E402

PROGRAM = os.path.join(HERE, "fs_linux_bench.c")
NAMES = ("fs.write_1mib", "fs.read_1mib_cold", "fs.read_1mib_warm", "fs.create_1000",
         "fs.unlink_1000")
BLOCKS_PER_MIB = 256  # 4 KiB pieces of the 1 MiB file
BENCH_LINE = re.compile(r"^BENCH name=(\S+) unit=ticks .*\bmedian=(\d+)")


def tessera_medians(log_path):
    medians = {}
    if log_path and os.path.exists(log_path):
        with open(log_path, encoding="utf-8", errors="replace") as log:
            for line in log:
                match = BENCH_LINE.match(line.strip())
                if match:
                    medians[match.group(1)] = int(match.group(2))
    return medians


def measure_linux(options):
    harness = linux_guest.Harness(options.build)
    program = harness.compile("fs_linux_bench", [PROGRAM])
    os.makedirs(options.keep, exist_ok=True)
    disk = os.path.join(options.keep, "volume.img")
    shutil.copyfile(options.volume, disk)  # written by Linux: never the build's own volume
    result = harness.run([["/bin/fs_linux_bench", "/dev/vda", "--loops", str(options.loops)]],
                         programs=[program], disks=[linux_guest.Disk(disk)],
                         mode=options.mode, timeout=options.timeout, keep=options.keep)
    figures = guest_lines.parse(result.output)
    error = None
    if not result.ok:
        try:
            result.check()
        except linux_guest.GuestError as failure:
            error = str(failure)
    return result, figures, error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--volume", required=True, help="the benchmark's volume image")
    parser.add_argument("--tessera-log", help="Tessera's serial log (bench/fs.log)")
    parser.add_argument("--output", required=True, help="the JSON file to write")
    parser.add_argument("--loops", type=int, default=11)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--mode", choices=("icount", "kvm"), help="default: bench/mode.py's")
    parser.add_argument("--keep", required=True, help="directory for the guest's logs and disk")
    options = parser.parse_args(sys.argv[1:] if argv is None else argv)

    document = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "loops": options.loops}
    try:
        result, figures, error = measure_linux(options)
        linux = {r["name"]: r for r in figures.results}
        document.update({
            "status": "complete" if error is None and not figures.failures else "failed",
            "mode": result.mode,
            "unit": "instructions" if result.mode == "icount" else "ns",
            "kernel": result.kernel,
            "linux": figures.results,
            "failures": figures.failures,
        })
        if error:
            document["error"] = error
    except linux_guest.GuestError as failure:
        linux = {}
        document.update({"status": "failed", "error": str(failure), "linux": [], "failures": []})

    tessera = tessera_medians(options.tessera_log)
    rows = []
    for name in NAMES:
        row = {"name": name, "tessera_median": tessera.get(name)}
        if name in linux:
            row["linux_median"] = linux[name]["median"]
            row["linux_idle_ns"] = linux[name].get("idle_ns")
        if row.get("tessera_median") and row.get("linux_median"):
            row["ratio"] = round(row["tessera_median"] / row["linux_median"], 3)
        # Tessera with the wait for the disk left in (its soaker's loop ran then), for when
        # Linux found no idle time to take out (it polled while it waited).
        elapsed = tessera.get(name + "_elapsed")
        if elapsed is not None:
            row["tessera_elapsed_median"] = elapsed
            if row.get("linux_median"):
                row["elapsed_ratio"] = round(elapsed / row["linux_median"], 3)
        rows.append(row)
    document["comparison"] = rows
    cold = next(r for r in rows if r["name"] == "fs.read_1mib_cold")
    if cold.get("ratio") is not None:
        document["cold_read_per_4k"] = {
            "tessera": round(cold["tessera_median"] / BLOCKS_PER_MIB, 1),
            "linux": round(cold["linux_median"] / BLOCKS_PER_MIB, 1),
            "ratio": cold["ratio"], "aim": 1.25}
        if cold.get("elapsed_ratio") is not None:
            document["cold_read_per_4k"].update({
                "tessera_elapsed": round(cold["tessera_elapsed_median"] / BLOCKS_PER_MIB, 1),
                "elapsed_ratio": cold["elapsed_ratio"]})

    os.makedirs(os.path.dirname(os.path.abspath(options.output)), exist_ok=True)
    with open(options.output, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
    print(f"run_fs_linux_bench: {document['status']}: {options.output}")
    for row in rows:
        print(f"  {row['name']:20} tessera {row.get('tessera_median')}  linux "
              f"{row.get('linux_median')}  ratio {row.get('ratio')}  (with the wait: "
              f"{row.get('tessera_elapsed_median')}, ratio {row.get('elapsed_ratio')})")
    if document.get("error"):
        print(f"run_fs_linux_bench: {document['error']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
