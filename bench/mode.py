#!/usr/bin/env python3
"""Chooses how Tessera's in-system benchmarks are timed on this host: `kvm` or `icount`.

kvm: real cycles and nanoseconds, only where the launcher would pick KVM (vmx or svm and a usable
/dev/kvm). icount: QEMU TCG with `-icount shift=0` everywhere else; the guest TSC then advances one
tick per instruction, so figures are deterministic instruction counts. Plain TCG timings mean
nothing and are never a mode. The accelerator probe itself is scripts/accel.py's, so the launcher
and the benchmarks cannot disagree. Run alone, prints the mode and the reason.
"""

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import accel  # noqa: E402  (one accelerator probe for launcher and benchmarks)

MODES = ("kvm", "icount")
OVERRIDE = "TESSERA_BENCH_MODE"


def choose(environ=None, cpuinfo_path="/proc/cpuinfo", device="/dev/kvm"):
    """Returns (mode, reason). TESSERA_BENCH_MODE overrides; a bad value raises ValueError.

    Without the override the accelerator choice decides (TESSERA_ACCEL included): kvm -> kvm,
    tcg -> icount.
    """
    environ = os.environ if environ is None else environ
    override = environ.get(OVERRIDE, "").strip()
    if override:
        if override not in MODES:
            raise ValueError(f"{OVERRIDE}={override!r}: expected one of {', '.join(MODES)}")
        return override, f"set by {OVERRIDE}"
    chosen, reason = accel.choose(environ, cpuinfo_path, device)
    return ("kvm" if chosen == "kvm" else "icount"), reason


def launch_arguments(mode):
    """The scripts/launch.py arguments that boot the in-system suite in `mode`."""
    if mode == "kvm":
        return ["--accel", "kvm"]
    if mode == "icount":
        return ["--icount"]
    raise ValueError(f"unknown benchmark mode {mode!r}")


def main():
    try:
        mode, reason = choose()
    except ValueError as error:
        print(f"mode: {error}", file=sys.stderr)
        return 2
    print(f"{mode}  ({reason})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
