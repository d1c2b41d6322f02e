"""The figures of a sel4bench run (run_sel4bench.py's JSON) that `make bench` sets side by side:
IPC, page mapping and sync, each a median in instructions (-icount shift=0), keyed so that a
Tessera row meets the seL4 row of the same benchmark.

sel4bench's result objects (its JSON output): {"Benchmark": title, "Results": [rows]}. IPC rows
carry Function, Direction, Client/Server Prio, "Same vspace?", "IPC length"; mapping rows "Num of
Page Mapped" and Phase; sync rows a Waiter number or nothing. "(early processing)" rows keep only
a mean (their median fields are 0), so the mean stands in for them.
"""

IPC = "One way IPC microbenchmarks"
MAPPING = "Mapping Benchmark"
SYNC = ("Wait time", "Broadcast time", "Producer to consumer", "Consumer to producer",
        "Producer to consumer (early processing)", "Consumer to producer (early processing)")


def _ipc_name(row):
    space = "same AS" if row.get("Same vspace?") else "cross AS"
    return (f"{row.get('Function')} {row.get('Direction')}, {space}, "
            f"{row.get('IPC length')} words, prio {row.get('Client Prio')}/{row.get('Server Prio')}")


def _whole(value):
    """sel4bench prints medians as floats (203.0); whole ones become integers for the tables."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def figures(results):
    """[(group, name, value)] in sel4bench's order; value is the median (the mean where
    sel4bench keeps only that)."""
    out = []
    for benchmark in results or []:
        title = benchmark.get("Benchmark")
        rows = benchmark.get("Results", [])
        if title == IPC:
            out += [("ipc", _ipc_name(row), _whole(row.get("Median"))) for row in rows]
        elif title == MAPPING:
            out += [("mapping", f"{row.get('Phase')}, {row.get('Num of Page Mapped')} pages",
                     _whole(row.get("Median"))) for row in rows]
        elif title in SYNC:
            early = "early processing" in title
            for row in rows:
                name = title if "Waiter" not in row else f"{title}, waiter {row['Waiter']}"
                out.append(("sync", name + (" (mean)" if early else ""),
                            _whole(row.get("Mean") if early else row.get("Median"))))
    return out


def side_by_side(tessera, sel4):
    """Rows {group, name, tessera, sel4, tessera_over_sel4} for every figure either run has, in
    seL4's order (then any only Tessera printed). Inputs: run_sel4bench.py documents or None."""
    ours = {(g, n): v for g, n, v in figures((tessera or {}).get("results"))}
    theirs = figures((sel4 or {}).get("results"))
    order = [(g, n) for g, n, _ in theirs]
    order += [key for key in ours if key not in dict.fromkeys(order)]
    theirs = {(g, n): v for g, n, v in theirs}
    rows = []
    for group, name in order:
        a, b = ours.get((group, name)), theirs.get((group, name))
        ratio = round(a / b, 2) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
        rows.append({"group": group, "name": name, "tessera": a, "sel4": b, "tessera_over_sel4": ratio})
    return rows
