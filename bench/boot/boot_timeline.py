"""Reads the boot timeline from a Tessera serial log: the kernel's TSC at its Multiboot entry,
the loader's TSC at its first instruction and once it has started every protection domain.

    boot: Multiboot entry at TSC <n>                                   (kernel_main)
    loader: boot timeline: entered at TSC <n>, every protection domain started at TSC <n>
    loader: started <n> protection domains (at most ...)

Under -icount shift=0 the TSC counts instructions since reset, so the differences are the
instructions the boot took; under kvm they are cycles."""

import re

KERNEL_ENTRY = re.compile(r"^boot: Multiboot entry at TSC (\d+)\s*$")
LOADER_TIMELINE = re.compile(
    r"^loader: boot timeline: entered at TSC (\d+), every protection domain started at TSC (\d+)\s*$")
LOADER_STARTED = re.compile(r"^loader: started (\d+) protection domains")


class Timeline:
    def __init__(self):
        self.kernel_entry = None
        self.root_task_entry = None
        self.system_started = None
        self.protection_domains = None

    def to_root_task(self):
        """Instructions (ticks) from the kernel's Multiboot entry to the root task's _start."""
        if self.kernel_entry is None or self.root_task_entry is None:
            return None
        return self.root_task_entry - self.kernel_entry

    def to_system_started(self):
        """Ticks from the Multiboot entry to every protection domain started by the loader."""
        if self.kernel_entry is None or self.system_started is None:
            return None
        return self.system_started - self.kernel_entry

    def problems(self):
        """What is missing or out of order, as sentences; empty when the timeline is whole."""
        found = []
        if self.kernel_entry is None:
            found.append("no kernel 'boot: Multiboot entry at TSC' line")
        if self.root_task_entry is None:
            found.append("no 'loader: boot timeline' line")
        elif self.kernel_entry is not None and not (
                self.kernel_entry < self.root_task_entry <= self.system_started):
            found.append("the timeline's TSC values are out of order")
        return found


def parse(text):
    timeline = Timeline()
    for line in text.splitlines():
        line = line.strip("\r")
        match = KERNEL_ENTRY.match(line)
        if match:
            timeline.kernel_entry = int(match.group(1))
            continue
        match = LOADER_TIMELINE.match(line)
        if match:
            timeline.root_task_entry = int(match.group(1))
            timeline.system_started = int(match.group(2))
            continue
        match = LOADER_STARTED.match(line)
        if match:
            timeline.protection_domains = int(match.group(1))
    return timeline
