"""Renders results.json (built by report.py) as results.md: the run's context, a table of
Tessera's figures, Linux measured in the guest in the same units with each Tessera figure beside
the nearest and their ratio, then Linux on the host in host cycles, a separate and labelled
table: under icount Tessera counts instructions and the host cycles, so that table divides
nothing; under kvm it gives the ratio."""


def _number(value):
    return "–" if value is None else f"{value:,}"


def _ns(value):
    return "–" if value is None else f"{value:,.1f}"


def _kernel(entry):
    """A figure measured in a Linux guest names its kernel (bench/vmm)."""
    return f" (Linux {entry['kernel']})" if entry.get("kernel") else ""


def _table(entries, unit):
    lines = [
        f"| benchmark | iterations | min {unit} | median {unit} | p90 {unit} | p99 {unit} "
        "| median ns |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in entries:
        lines.append(
            f"| `{entry['name']}`{_kernel(entry)} | {_number(entry['iterations'])} "
            f"| {_number(entry['min_cycles'])} | {_number(entry['median_cycles'])} "
            f"| {_number(entry['p90_cycles'])} | {_number(entry['p99_cycles'])} "
            f"| {_ns(entry['median_ns'])} |")
    return lines


def _context(results):
    mode = results["mode"]
    if mode == "kvm":
        meaning = ("QEMU with KVM: Tessera's figures are real cycles of the host's TSC, "
                   "comparable with Linux's.")
    else:
        meaning = ("QEMU TCG with `-icount shift=0`: Tessera's figures are instruction counts "
                   "(deterministic, independent of load), not cycles, and are never divided by "
                   "Linux's cycles.")
    return [
        f"- Date: {results['date']}",
        f"- Machine: {results['machine']}",
        f"- CPU: {results['cpu']}, TSC {results['tsc_hz'] / 1e9:.3f} GHz",
        f"- Mode: **{mode}** ({results['mode_reason']}). {meaning}",
    ]


def _tessera_section(results):
    in_system = results["in_system"]
    tessera = [e for e in results["results"] if e["system"] == "tessera"]
    unit = "cycles" if results["mode"] == "kvm" else "instructions"
    lines = ["## Tessera (in-system)", ""]
    if in_system["status"] == "not_run":
        lines += [f"**{in_system['note']}** This table fills in once `make bench` boots the "
                  "in-system benchmark suite.", ""]
        return lines
    if in_system["status"] != "complete":
        lines += [f"**Warning:** {in_system['note']}", ""]
    if tessera:
        lines += _table(tessera, unit) + [""]
    if in_system["missing"]:
        names = ", ".join(f"`{name}`" for name in in_system["missing"])
        lines += [f"Not measured in this run: {names}.", ""]
    if in_system["warnings"]:
        lines += ["Ignored serial lines:", ""]
        lines += [f"- {warning}" for warning in in_system["warnings"]] + [""]
    return lines


def _linux_section(results):
    linux = [e for e in results["results"] if e["system"] == "linux"]
    context = results["linux"]
    lines = [f"## Linux on the host, in host cycles ({context.get('kernel') or 'host'}, "
             f"pinned to CPU {context.get('pinned_cpu')})", "",
             "Context only: the host's own kernel on the host's CPU, timed by the host's TSC. "
             "The same-unit comparison is the Linux guest's table above.", ""]
    lines += _table(linux, "cycles") + [""]
    lines += [f"Every sample includes the TSC reads around it, "
              f"{context.get('timer_overhead_cycles')} cycles (median of an empty window). "
              f"TSC frequency {context.get('tsc_hz_source')}.", ""]
    failures = context.get("failures") or []
    lines += [f"- `{f['name']}` failed: {f['error']}" for f in failures] + ([""] if failures else [])
    return lines


def _figure(value):
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _guest_section(results):
    guest = results.get("linux_guest") or {"status": "not_run"}
    lines = ["## Linux in the same units (Debian's kernel in the same QEMU)", ""]
    if guest["status"] == "not_run":
        return lines + ["**Not run:** no Linux guest figures were given to this report.", ""]
    kernel = guest.get("kernel") or {}
    if kernel:
        lines += [f"Kernel {kernel.get('package')} {kernel.get('version')} (`uname -r` "
                  f"{kernel.get('release')}, behind {kernel.get('metapackage')}), command line "
                  f"`{guest.get('kernel_command_line')}`, clocksource "
                  f"{guest.get('clocksource')} ({guest.get('tsc_per_ns')} TSC ticks per ns), "
                  f"mode {guest.get('mode')}. Each figure is the "
                  f"median over {guest.get('loops')} loops of {_number(guest.get('iterations'))} "
                  f"iterations of the loop's mean, timed with CLOCK_MONOTONIC in the guest "
                  f"(under icount one guest ns is one instruction); idle time inside a loop is "
                  f"taken out (`idle_ns`).", ""]
    if guest["status"] != "complete":
        lines += [f"**Warning:** the Linux guest run failed: {guest.get('error', 'see below')}",
                  ""]
    entries = [e for e in results["results"] if e["system"] == "linux_guest"]
    if entries:
        unit = entries[0]["unit"]
        lines += [f"| benchmark | min {unit} | median {unit} | max {unit} | idle ns |",
                  "|---|---:|---:|---:|---:|"]
        lines += [f"| `{e['name']}` | {_figure(e['min'])} | {_figure(e['median'])} "
                  f"| {_figure(e['max'])} | {_number(e['idle_ns'])} |" for e in entries]
        lines += [""]
    failures = guest.get("failures") or []
    lines += [f"- `{f['name']}` failed: {f['error']}" for f in failures] + ([""] if failures else [])
    rows = results.get("same_unit_comparisons") or []
    if rows:
        unit = rows[0]["unit"]
        lines += ["### Tessera beside Linux, same units", "",
                  f"Both columns are {unit} per operation; `Linux / Tessera` above 1 means "
                  "Tessera does it in fewer.", "",
                  f"| Tessera | median {unit} | nearest Linux | median {unit} | Linux / Tessera "
                  "| note |", "|---|---:|---|---:|---:|---|"]
        for row in rows:
            ratio = row["linux_over_tessera"]
            lines.append(f"| `{row['tessera']}` | {_figure(row['tessera_median'])} "
                         f"| `{row['linux']}` | {_figure(row['linux_median'])} "
                         f"| {'–' if ratio is None else f'{ratio:.2f}x'} | {row['note']} |")
        lines += [""]
    return lines


def _boot_section(results):
    boot = results.get("boot") or {"status": "not_run"}
    lines = ["## Boot and scale", ""]
    if boot.get("status") == "not_run":
        return lines + ["**Not run:** no boot figures were given to this report.", ""]
    unit = boot.get("unit", "instructions")
    lines += [f"From the kernel's Multiboot entry (TSC read by its first instructions) to the "
              f"root task's first instruction, and to every protection domain started by the "
              f"loader, in {unit} ({boot.get('mode')}, {boot.get('memory')} of RAM). Build "
              f"times are the host's, `tessera build --loader`, median of three.", "",
              f"| system | PDs | to root task | to every PD started | per PD | build wall s "
              f"| build CPU s | boot wall s |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    rows = [("default system (`systems/pipeline.system`)", boot["default_system"])]
    rows += [(f"ring of {r['protection_domains_described']}", r) for r in boot["rings"]]
    previous = None
    errors = []
    for name, entry in rows:
        started = entry.get("to_system_started")
        pds = entry.get("protection_domains") or entry.get("protection_domains_described")
        per_pd = "–"
        if name.startswith("ring") and started is not None:
            # The marginal cost of a protection domain: linear growth keeps it flat.
            if previous:
                per_pd = _number(round((started - previous[1]) / (pds - previous[0])))
            previous = (pds, started)
        lines.append(f"| {name} | {_number(pds)} | {_number(entry.get('to_root_task'))} "
                     f"| {_number(started)} | {per_pd} "
                     f"| {entry.get('build_wall_seconds', '–')} "
                     f"| {entry.get('build_cpu_seconds', '–')} "
                     f"| {entry.get('boot_wall_seconds', '–')} |")
        if entry.get("error"):
            errors.append(f"- {name}: {entry['error']}")
    lines += [""] + errors + ([""] if errors else [])
    return lines


def _filesystem_section(results):
    """The file-system benchmarks beside Linux's ext2 (bench/fs, docs/filesystem.md)."""
    fs = results.get("filesystem") or {"status": "not_run"}
    lines = ["## File system beside Linux's ext2", ""]
    if fs.get("status") == "not_run":
        return lines + ["**Not run:** no file-system comparison was given to this report.", ""]
    kernel = (fs.get("kernel") or {}).get("package", "Linux")
    lines += [f"Tessera's ext2 service and Linux's ext2 ({kernel}) on copies of one volume, each "
              f"through virtio-blk, in the same QEMU mode ({fs.get('mode')}), medians in "
              f"{fs.get('unit')}, the wait for the disk taken out on both sides "
              f"(docs/filesystem.md, \"Benchmarks\").", ""]
    if fs.get("status") != "complete":
        lines += [f"**Warning:** the Linux side did not complete: {fs.get('error') or fs.get('status')}", ""]
    lines += ["| benchmark | Tessera | Linux | Tessera / Linux | Tessera with the wait "
              "| with the wait / Linux |", "|---|---:|---:|---:|---:|---:|"]
    for row in fs.get("comparison") or []:
        lines.append(f"| `{row['name']}` | {_number(row.get('tessera_median'))} "
                     f"| {_number(row.get('linux_median'))} | {_ratio(row.get('ratio'))} "
                     f"| {_number(row.get('tessera_elapsed_median'))} "
                     f"| {_ratio(row.get('elapsed_ratio'))} |")
    per_4k = fs.get("cold_read_per_4k")
    if per_4k:
        aim = per_4k.get("aim", 1.25)
        lines += ["", f"Per 4 KiB of the cold 1 MiB read: Tessera {_number(per_4k.get('tessera'))}, "
                  f"Linux {_number(per_4k.get('linux'))}, ratio {_ratio(per_4k.get('ratio'))} "
                  f"({_verdict(per_4k.get('ratio'), aim)} the aim of {aim} times Linux's)"]
        if per_4k.get("elapsed_ratio") is not None:
            lines[-1] += (f"; with the wait, Tessera {_number(per_4k.get('tessera_elapsed'))}, "
                          f"ratio {_ratio(per_4k.get('elapsed_ratio'))} "
                          f"({_verdict(per_4k.get('elapsed_ratio'), aim)} the aim)")
        lines[-1] += "."
    return lines + [""]


def _ratio(value):
    return "–" if value is None else f"{value:.2f}"


def _verdict(ratio, aim):
    return "–" if ratio is None else ("within" if ratio <= aim else "over")


def _comparison_section(results):
    lines = ["## Tessera beside Linux on the host", ""]
    if not results["comparisons"]:
        lines += ["No Tessera figure with a Linux counterpart in this run.", ""]
        return lines
    if results["mode"] == "kvm":
        lines += ["Both columns are cycles of the same TSC; `Linux / Tessera` above 1 means "
                  "Tessera is faster.", "",
                  "| Tessera | median cycles | nearest Linux | median cycles | Linux / Tessera "
                  "| note |",
                  "|---|---:|---|---:|---:|---|"]
    else:
        lines += ["**Units differ:** under icount Tessera's column counts *instructions* and "
                  "Linux's counts *cycles* of the host's TSC, so the figures stand side by side "
                  "and are not divided. Kernel entry and exit and address-space switches cost "
                  "many cycles each but count as one instruction, so instruction counts "
                  "understate the cycles of kernel work; a kvm run gives comparable cycles.", "",
                  "| Tessera | median instructions | nearest Linux | median cycles | note |",
                  "|---|---:|---|---:|---|"]
    for row in results["comparisons"]:
        ratio = row["linux_over_tessera"]
        cells = [f"`{row['tessera']}`", _number(row["tessera_median_cycles"]),
                 f"`{row['linux']}`", _number(row["linux_median_cycles"])]
        if results["mode"] == "kvm":
            cells.append("–" if ratio is None else f"{ratio:.2f}x")
        cells.append(row["note"])
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def _status(side):
    status = side.get("status")
    if status == "complete":
        return "ran to its end"
    if status == "not_run":
        return "not run"
    return f"{status}: {side.get('reason') or 'no reason given'}"


def sel4bench_section(results):
    """seL4's own benchmark on both kernels: IPC, page mapping and sync medians side by side."""
    section = results.get("sel4bench") or {}
    lines = ["## sel4bench on Tessera and on seL4", ""]
    lines += [f"`../shared/sel4/sel4bench.elf` booted on Tessera ({_status(section.get('tessera', {}))}) "
              f"and on seL4's `kernel-bench.elf` ({_status(section.get('sel4', {}))}), both under "
              "`-icount shift=0`: every figure is a median in instructions, user stubs and "
              "timestamps included (docs/performance.md, \"sel4bench on both kernels\").", ""]
    rows = section.get("rows") or []
    if not rows:
        return lines + ["No sel4bench figures in this run.", ""]
    lines += ["| group | benchmark | Tessera | seL4 | Tessera / seL4 |", "|---|---|---:|---:|---:|"]
    for row in rows:
        ratio = row.get("tessera_over_sel4")
        lines.append(f"| {row['group']} | {row['name']} | {_number(row.get('tessera'))} "
                     f"| {_number(row.get('sel4'))} | {'–' if ratio is None else f'{ratio:.2f}'} |")
    return lines + [""]


def render(results):
    lines = ["# Tessera benchmark results", ""]
    lines += _context(results) + [""]
    lines += _tessera_section(results)
    lines += _guest_section(results)
    lines += _boot_section(results)
    lines += _filesystem_section(results)
    lines += _linux_section(results)
    lines += _comparison_section(results)
    lines += sel4bench_section(results)
    return "\n".join(lines).rstrip("\n") + "\n"
