#!/usr/bin/env python3
"""`make bench`'s boot and scale figures: the default system booted once, and rings of 64, 256
and 1,000 protection domains built and booted, all in the benchmarks' mode (instructions under
-icount shift=0, the launcher's default 512 MiB).

For each boot: instructions from the kernel's Multiboot entry to the root task's first
instruction (the loader's _start) and to every protection domain started (boot_timeline.py).
For each ring also the host's time to build it with `tessera build --loader` (wall and CPU
seconds, the median of three builds) and the wall time of the boot. Writes JSON for
bench/report.py; a boot that fails is recorded with its reason, never skipped silently.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path.insert(0, HERE)
sys.path.insert(0, BENCH)
import boot_timeline  # noqa: E402
import mode as bench_mode  # noqa: E402

LAUNCH = os.path.join(REPO, "scripts", "launch.py")
GENERATE_RING = os.path.join(REPO, "tests", "system", "loader", "ring", "generate_ring.py")
RING_SIZES = (64, 256, 1000)
BUILDS_PER_RING = 3
MEMORY = "512M"   # the launcher's default, named so that the figure says what it was


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True, help="the build directory")
    parser.add_argument("--system-image", required=True,
                        help="the default system, built with `tessera build --loader`")
    parser.add_argument("--tessera", required=True, help="the tessera tool")
    parser.add_argument("--loader", required=True, help="loader.elf")
    parser.add_argument("--ring-program", required=True, help="ring.elf (tests/system/loader/ring)")
    parser.add_argument("--output", required=True, help="the JSON file to write")
    parser.add_argument("--rings", default=",".join(map(str, RING_SIZES)),
                        help="comma-separated ring sizes")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per boot")
    return parser.parse_args(argv)


def boot(options, mode, root_task, log):
    """Boots root_task until every thread waits (exit_on_idle); returns (timeline, wall seconds,
    launcher status, serial text)."""
    command = [sys.executable, LAUNCH, "--build", options.build, "--root-task", root_task,
               "--memory", MEMORY, "--serial-file", log, "--timeout", str(options.timeout),
               "--append", "exit_on_idle"] + bench_mode.launch_arguments(mode)
    if os.path.exists(log):
        os.remove(log)
    started = time.perf_counter()
    status = subprocess.call(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    try:
        with open(log, encoding="utf-8", errors="replace") as file:
            text = file.read()
    except OSError:
        text = ""
    return boot_timeline.parse(text), wall, status, text


def boot_figures(timeline, wall, status, text):
    entry = {"to_root_task": timeline.to_root_task(),
             "to_system_started": timeline.to_system_started(),
             "protection_domains": timeline.protection_domains,
             "boot_wall_seconds": round(wall, 2), "launcher_status": status}
    problems = timeline.problems()
    if problems:
        # The loader's or else the kernel's last word says why the boot stopped.
        said = ([l for l in text.splitlines() if l.startswith("loader:")] or
                [l for l in text.splitlines() if l.startswith("tessera:")])
        entry["error"] = "; ".join(problems) + (f" (last line: {said[-1].strip()!r})"
                                                 if said else "")
    return entry


def build_ring(options, size, directory):
    """Generates and builds a ring BUILDS_PER_RING times; returns (image, figures)."""
    system = os.path.join(directory, f"ring{size}.system")
    image = os.path.join(directory, f"ring{size}.elf")
    subprocess.run([sys.executable, GENERATE_RING, str(size), system], check=True)
    walls, cpus, error = [], [], None
    for _ in range(BUILDS_PER_RING):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        built = subprocess.run([options.tessera, "build", system, "--search-path",
                                os.path.dirname(os.path.abspath(options.ring_program)),
                                "--loader", options.loader, "-o", image],
                               capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if built.returncode != 0:
            error = (built.stderr or built.stdout).strip().splitlines()[-1:] or ["failed"]
            error = f"tessera build failed: {error[0]}"
            break
    figures = {"protection_domains_described": size,
               "build_wall_seconds": round(statistics.median(walls), 3),
               "build_cpu_seconds": round(statistics.median(cpus), 3)}
    if error:
        figures["error"] = error
        return None, figures
    figures["image_bytes"] = os.path.getsize(image)
    return image, figures


def measure(options, mode):
    work = os.path.join(os.path.dirname(os.path.abspath(options.output)), "boot")
    os.makedirs(work, exist_ok=True)
    document = {"mode": mode, "unit": "instructions" if mode == "icount" else "cycles",
                "memory": MEMORY}
    timeline, wall, status, text = boot(options, mode, options.system_image,
                                        os.path.join(work, "default_system.log"))
    document["default_system"] = dict(boot_figures(timeline, wall, status, text),
                                      system="systems/pipeline.system")
    rings = []
    for size in [int(s) for s in options.rings.split(",") if s]:
        image, figures = build_ring(options, size, work)
        if image:
            figures.update(boot_figures(*boot(options, mode, image,
                                              os.path.join(work, f"ring{size}.log"))))
        rings.append(figures)
        print(f"run_boot_bench: ring of {size}: {figures}", flush=True)
    document["rings"] = rings
    return document


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        mode, reason = bench_mode.choose()
    except ValueError as error:
        print(f"run_boot_bench: {error}", file=sys.stderr)
        return 2
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = measure(options, mode)
    document["date"], document["mode_reason"] = date, reason
    with open(options.output, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
    default = document["default_system"]
    print(f"run_boot_bench: default system: {default.get('to_root_task')} to the root task, "
          f"{default.get('to_system_started')} to every PD started ({document['unit']}); "
          f"{options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
