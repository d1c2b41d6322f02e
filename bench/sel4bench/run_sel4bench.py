#!/usr/bin/env python3
"""Boots sel4bench.elf on one kernel under -icount shift=0 and keeps its JSON results.

sel4bench prints its results as a JSON array between the serial lines `JSON OUTPUT` and `END
JSON OUTPUT` and then idles (seL4 cannot end QEMU), so the run stops at the end marker, or at the
time limit. Writes OUT as {"kernel", "status", "reason", "results"}: status "complete" with the
array, "incomplete" (the serial tail says why) or "skipped" (a binary is absent). Exits 0 in all
three cases, so that `make bench` still reports the rest; the report says what happened.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RUN_SUITE = os.path.join(REPO, "tests", "system", "run_suite.py")

START = "JSON OUTPUT"
END = "END JSON OUTPUT"
# seL4's simulate model, with the rdtscp sel4bench's timer needs (seL4 runs it the same way).
CPU = "sel4,+rdtscp"


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="which kernel: tessera or sel4")
    parser.add_argument("--kernel", required=True, help="32-bit Multiboot kernel ELF")
    parser.add_argument("--root-task", required=True, help="sel4bench.elf")
    parser.add_argument("--build", required=True, help="build directory")
    parser.add_argument("--out", required=True, help="the JSON file to write")
    parser.add_argument("--log", required=True, help="where the serial output goes")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds before QEMU is stopped")
    return parser.parse_args(argv)


def extract(text):
    """The JSON array between the markers, or None when the end marker never came."""
    begin = text.find(START + "\n")
    if begin < 0:
        begin = text.find(START)
    end = text.find(END, begin + len(START))
    if begin < 0 or end < 0:
        return None
    body = text[begin + len(START):end]
    # The serial console may break the one long line; the JSON itself has no line breaks.
    return json.loads("".join(line.strip("\r") for line in body.splitlines()))


def write(path, document):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=1)
        file.write("\n")


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    document = {"kernel": options.label, "status": "skipped", "reason": "", "results": []}
    for path in (options.kernel, options.root_task):
        if not os.path.isfile(path):
            document["reason"] = f"{path} is absent"
            write(options.out, document)
            print(f"run_sel4bench: {options.label}: skipped: {document['reason']}")
            return 0
    command = [sys.executable, RUN_SUITE, "--timeout", f"{options.timeout:g}", "--until-expected",
               "--expect", f"{END}$", "--fail-on", "faulted:", "--fail-on", r"^\[?Cond failed",
               "--", "--build", options.build, "--kernel", options.kernel,
               "--root-task", options.root_task, "--icount", "--cpu", CPU, "--memory", "512M"]
    print(f"run_sel4bench: {options.label}: booting sel4bench (serial output: {options.log})",
          flush=True)
    with open(options.log, "w", encoding="utf-8") as log:
        status = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)
    with open(options.log, encoding="utf-8", errors="replace") as log:
        text = log.read()
    try:
        results = extract(text)
    except ValueError as error:
        results, document["reason"] = None, f"its JSON does not parse: {error}"
    if results is not None:
        document.update(status="complete", results=results)
    else:
        document["status"] = "incomplete"
        verdict = [line for line in text.splitlines() if line.startswith("run_suite: FAIL")]
        document["reason"] = document["reason"] or (verdict[0][len("run_suite: "):] if verdict
                                                    else f"run_suite status {status}")
    write(options.out, document)
    print(f"run_sel4bench: {options.label}: {document['status']}"
          + (f" ({document['reason']})" if document["reason"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
