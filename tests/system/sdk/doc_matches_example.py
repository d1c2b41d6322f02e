#!/usr/bin/env python3
"""docs/microkit.md shows the echo example's files in full; each fenced block after its file's
name must be that file, byte for byte, so the guide never drifts from what make test builds.
Usage: doc_matches_example.py REPOSITORY"""

import re
import sys

repository = sys.argv[1]
doc = open(f"{repository}/docs/microkit.md").read()
failures = 0
for name in ("echo.system", "client.c", "server.c", "Makefile"):
    label = "`Makefile`" if name == "Makefile" else f"`{name}`:"
    start = doc.find(label)
    match = re.compile(r"```[a-z]*\n(.*?)```", re.S).search(doc, start) if start >= 0 else None
    with open(f"{repository}/systems/microkit_sdk/echo/{name}") as file:
        expected = file.read()
    if match is None or match.group(1) != expected:
        print(f"docs/microkit.md: the block for {name} differs from systems/microkit_sdk/echo/{name}")
        failures += 1
print(f"{4 - failures} of 4 example files match docs/microkit.md")
sys.exit(1 if failures else 0)
