#!/usr/bin/env python3
"""Boots systems/serial.system through run_suite.py and checks its serial output line by line.

run_suite.py decides pass or fail from the summary line; this script then reads every line the
system printed after the loader left and requires each to come whole from one client: its
prefix, then text that client prints (numbered lines with the right payload, in order, none
missing), or a line of the virtualiser's own. It also checks the input each client echoed, the
virtualiser's reports and that the flooding client did not starve the others.
Usage: check_serial_output.py [run_suite.py options] -- <launch.py arguments>.
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_SUITE = os.path.join(os.path.dirname(HERE), "run_suite.py")

CLIENTS = ("alpha", "beta", "gamma", "flood", "monitor")
NUMBERED = {"alpha": 60, "beta": 60, "gamma": 5, "flood": 400}
INPUT = {"alpha": ["to alpha 1", "to alpha 2"], "beta": ["to beta 1", "to beta \x1c 2"],
         "gamma": ["to gamma 1"]}
VIRTUALISER_REPORTS = [
    r"^serial_virt: 5 clients; input goes to alpha; Ctrl-\\ N Enter gives it to client N$",
    r"^serial_virt: input now goes to beta \(client 1\)$",
    r"^serial_virt: input now goes to gamma \(client 2\)$",
    r"^serial_virt: no client 99 \(there are 5\); input stays with ",
    r"^serial_virt: gamma broke the indices of its transmit ring \(1 times\)",
]
# What a client prints besides numbered lines and echoed input (the monitor prints reports).
OTHER_TEXT = {"gamma": ("recovered after breaking its ring",)}
START = "loader: removed itself"
IDLE = "tessera: no runnable thread: idle"  # the kernel's last word under exit_on_idle
LINE = re.compile(r"^(" + "|".join(CLIENTS) + r"): (.*)$")
NUMBERED_LINE = re.compile(r"^line (\d{3}) ([a-z]+)$")


def payload(name, number):
    """The same letters as systems/serial/serial_client.c's payload()."""
    length = 8 + number * 13 % 61
    return "".join(chr(ord("a") + (ord(name[0]) + number * 7 + k * 3) % 26) for k in range(length))


def check(lines):
    """Returns a list of problems; empty when the output is as it must be."""
    problems = []
    if not any(line.startswith(START) for line in lines):
        return ["the loader never finished"]
    body = lines[next(i for i, line in enumerate(lines) if line.startswith(START)) + 1:]
    next_number = {name: 0 for name in NUMBERED}
    echoed = {name: [] for name in INPUT}
    virtualiser = []
    owners = []  # the client of each line, in order
    for line in body:
        if line.startswith("run_suite:") or line in (IDLE, ""):
            continue
        if line.startswith("serial_virt: "):
            virtualiser.append(line)
            continue
        match = LINE.match(line)
        if not match:
            problems.append(f"a line not whole from one client: {line!r}")
            continue
        name, text = match.groups()
        owners.append(name)
        numbered = NUMBERED_LINE.match(text)
        if numbered and name in NUMBERED:
            number = int(numbered.group(1))
            if number != next_number[name]:
                problems.append(f"{name}: line {number:03} where {next_number[name]:03} was due")
            if numbered.group(2) != payload(name, number):
                problems.append(f"{name}: line {number:03} has the wrong payload: {line!r}")
            next_number[name] = number + 1
        elif text.startswith("got: ") and name in echoed:
            echoed[name].append(text[len("got: "):])
        elif text.startswith("this line is lost"):
            problems.append(f"{name}: a line written into a broken ring came out")
        elif name != "monitor" and text not in OTHER_TEXT.get(name, ()):
            problems.append(f"{name}: text it never prints: {line!r}")
    for name, count in NUMBERED.items():
        if next_number[name] != count:
            problems.append(f"{name}: {next_number[name]} numbered lines, {count} expected")
    for name, wanted in INPUT.items():
        if echoed[name] != wanted:
            problems.append(f"{name}: received {echoed[name]!r}, the test typed {wanted!r}")
    for pattern in VIRTUALISER_REPORTS:
        if not any(re.search(pattern, line) for line in virtualiser):
            problems.append(f"the virtualiser never said {pattern!r}")
    if not any(line == "gamma: recovered after breaking its ring" for line in body):
        problems.append("gamma did not carry on after breaking its ring")
    # The clients share the CPU (they yield between bursts), so their lines interleave: the
    # quiet ones are not held up behind the flood's 400 lines.
    flood_lines = [i for i, name in enumerate(owners) if name == "flood"]
    if len(flood_lines) > 40:
        for name in ("alpha", "beta"):
            if name not in owners or owners.index(name) > flood_lines[40]:
                problems.append(f"{name} printed nothing before the flood's 40th line")
    switches = sum(1 for before, after in zip(owners, owners[1:]) if before != after)
    if switches < 20:
        problems.append(f"the clients' lines hardly interleave ({switches} changes of client)")
    return problems


def main(argv):
    process = subprocess.run([sys.executable, RUN_SUITE, *argv], stdout=subprocess.PIPE,
                             check=False)
    output = process.stdout.decode("utf-8", errors="replace")
    sys.stdout.write(output)
    if process.returncode != 0:
        print(f"check_serial_output: FAIL: run_suite.py failed ({process.returncode})")
        return process.returncode
    # Split at newlines only: str.splitlines() would also split at the Ctrl-\ a client echoes.
    problems = check([line.rstrip("\r") for line in output.split("\n")])
    for problem in problems:
        print(f"check_serial_output: {problem}")
    if problems:
        print(f"check_serial_output: FAIL: {len(problems)} problem(s)")
        return 1
    print("check_serial_output: PASS: every line whole, from one client, in order")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
