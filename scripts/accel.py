#!/usr/bin/env python3
"""Chooses QEMU's accelerator for this host: KVM only where it runs guest ring 0 natively.

Imported by launch.py (and later the benchmarks); run alone it prints the choice and the reason.
"""

import os
import sys

# Why not "KVM whenever /dev/kvm opens": the development and CI machines expose a /dev/kvm backed
# by a software hypervisor (kvm-pvm) with no vmx or svm in the CPU flags. It emulates guest ring 0
# at a few million instructions per second and breaks ring 3 -> ring 0 transitions, so TCG is far
# faster and correct there (see docs/booting.md). Hardware virtualisation is required for KVM.

VALID = ("kvm", "tcg")
HARDWARE_FLAGS = ("vmx", "svm")


def cpu_has_hardware_virtualisation(cpuinfo_path="/proc/cpuinfo"):
    """True when any CPU's flags line lists vmx (Intel VT-x) or svm (AMD-V)."""
    try:
        with open(cpuinfo_path, encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() == "flags" and any(f in value.split() for f in HARDWARE_FLAGS):
                    return True
    except OSError:
        return False
    return False


def kvm_device_usable(device="/dev/kvm"):
    """True when the KVM device opens read-write for this user (what QEMU needs)."""
    try:
        fd = os.open(device, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    os.close(fd)
    return True


def choose(environ=None, cpuinfo_path="/proc/cpuinfo", device="/dev/kvm"):
    """Returns (accel, reason). TESSERA_ACCEL overrides; a bad value raises ValueError."""
    environ = os.environ if environ is None else environ
    override = environ.get("TESSERA_ACCEL", "").strip()
    if override:
        if override not in VALID:
            raise ValueError(f"TESSERA_ACCEL={override!r}: expected one of {', '.join(VALID)}")
        return override, "set by TESSERA_ACCEL"
    if not cpu_has_hardware_virtualisation(cpuinfo_path):
        return "tcg", "no vmx or svm in /proc/cpuinfo"
    if not kvm_device_usable(device):
        return "tcg", f"{device} does not open read-write"
    return "kvm", "hardware virtualisation and a usable /dev/kvm"


def main():
    try:
        accel, reason = choose()
    except ValueError as error:
        print(f"accel: {error}", file=sys.stderr)
        return 2
    print(f"{accel}  ({reason})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
