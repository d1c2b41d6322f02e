"""Parses the BENCH lines an in-system benchmark suite prints on the serial port.

The C++ side that prints them is bench/stats/bench_line.h; docs/benchmarks.md defines the format:

    BENCH name=<name> unit=ticks n=<count> min=<t> median=<t> p90=<t> p99=<t> max=<t> [kernel=<release>]
    BENCH-TSC hz=<ticks per second>
    BENCH-END results=<number of BENCH lines printed>

Every other serial line is ignored. A line may carry one `tag:` prefix (a component naming
itself), as the test harness allows for its summary lines. Malformed lines become warnings, never
invented figures.
"""

import re

NAME = re.compile(r"^[a-z0-9_.]{1,63}$")
LINE = re.compile(r"^\s*(?:[\w.-]+:\s*)?(BENCH|BENCH-TSC|BENCH-END)(\s.*)?$")
REQUIRED = ("name", "unit", "n", "min", "median", "p90", "p99")
NUMBERS = ("n", "min", "median", "p90", "p99", "max")


class InSystemRun:
    """What the suite's serial output said: results by name, TSC frequency, completion."""

    def __init__(self):
        self.results = {}        # name -> dict(iterations, min, median, p90, p99, max)
        self.order = []          # names in the order first printed
        self.tsc_hz = None       # from BENCH-TSC, if printed
        self.end_count = None    # sum of the BENCH-END counts, if any was printed
        self.warnings = []
        self.sources = []

    def status(self):
        """'not_run' (no input), 'empty' (no BENCH lines), 'incomplete' or 'complete'."""
        if not self.sources:
            return "not_run"
        if not self.results and self.end_count is None:
            return "empty"
        if self.end_count is None or self.end_count != len(self.results):
            return "incomplete"
        return "complete"


def _fields(text, where, warnings):
    fields = {}
    for item in (text or "").split():
        key, equals, value = item.partition("=")
        if not equals or not key:
            warnings.append(f"{where}: '{item}' is not key=value")
            return None
        fields[key] = value
    return fields


def _numbers(fields, keys, where, warnings):
    values = {}
    for key in keys:
        if key not in fields:
            continue
        if not fields[key].isdigit():
            warnings.append(f"{where}: {key}={fields[key]} is not an unsigned number")
            return None
        values[key] = int(fields[key])
    return values


def _add_result(run, fields, where):
    missing = [key for key in REQUIRED if key not in fields]
    if missing:
        run.warnings.append(f"{where}: missing {', '.join(missing)}")
        return
    name = fields["name"]
    if not NAME.match(name):
        run.warnings.append(f"{where}: bad benchmark name {name!r}")
        return
    if fields["unit"] != "ticks":
        run.warnings.append(f"{where}: unit={fields['unit']}, expected ticks")
        return
    values = _numbers(fields, NUMBERS, where, run.warnings)
    if values is None:
        return
    ordered = [values["min"], values["median"], values["p90"], values["p99"]]
    if "max" in values:
        ordered.append(values["max"])
    if ordered != sorted(ordered) or values["n"] == 0:
        run.warnings.append(f"{where}: {name}: need n > 0 and min <= median <= p90 <= p99 <= max")
        return
    if name in run.results:
        run.warnings.append(f"{where}: {name} printed again; the later figures are kept")
    else:
        run.order.append(name)
    run.results[name] = {
        "iterations": values["n"],
        "min": values["min"],
        "median": values["median"],
        "p90": values["p90"],
        "p99": values["p99"],
        "max": values.get("max"),
    }
    # A figure measured in a guest names the guest kernel's release (bench/vmm's Linux guests).
    if fields.get("kernel"):
        run.results[name]["kernel"] = fields["kernel"]


def parse_lines(lines, source, run=None):
    """Adds the BENCH lines among `lines` (one source, e.g. a serial log) to `run`."""
    run = InSystemRun() if run is None else run
    run.sources.append(source)
    for number, raw_line in enumerate(lines, 1):
        match = LINE.match(raw_line.rstrip("\r\n"))
        if not match:
            continue
        where = f"{source}:{number}"
        kind = match.group(1)
        fields = _fields(match.group(2), where, run.warnings)
        if fields is None:
            continue
        if kind == "BENCH":
            _add_result(run, fields, where)
            continue
        key = "hz" if kind == "BENCH-TSC" else "results"
        values = _numbers(fields, (key,), where, run.warnings)
        if values is None or key not in values:
            run.warnings.append(f"{where}: {kind} needs {key}=<number>")
        elif kind == "BENCH-TSC":
            run.tsc_hz = values[key] or None
        else:   # several sources (one per suite) add up
            run.end_count = (run.end_count or 0) + values[key]
    return run


def parse_files(paths):
    """One InSystemRun over every file, in order. A path that does not exist is an OSError:
    a wired-up in-system run that produced nothing must fail loudly, not look like 'not run'."""
    run = InSystemRun()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as log:
            parse_lines(log, path, run)
    return run
