#!/usr/bin/env python3
"""Writes the .system files of the block suites: one layout (driver, virtualiser, two clients,
monitor), varied per suite. Usage: make_system.py VARIANT OUTPUT.

Variants: pattern (two clients writing and reading their partitions, MSI-X), intx (the same
with the device's INTx line), restart (the driver a child of a supervisor that kills and
restarts it mid-stream), storm (one client floods, the other streams), readonly, faulty (blkdebug
fails some writes), hostile (a corrupt partition table: one client on 'disk', one on a partition
that no longer exists), corrupt (one client writes an impossible queue index, the other streams).
"""

import sys

CLIENTS = {
    "pattern": [("a", "gpt:alpha", "pattern"), ("b", "gpt:beta", "pattern")],
    "intx": [("a", "gpt:alpha", "pattern"), ("b", "gpt:beta", "pattern")],
    "restart": [("a", "gpt:alpha", "restart"), ("b", "gpt:beta", "pattern")],
    "storm": [("a", "gpt:alpha", "storm"), ("b", "gpt:beta", "pattern")],
    "readonly": [("a", "gpt:alpha", "readonly"), ("b", "mbr:1,ro", "nodisk")],
    "faulty": [("a", "gpt:alpha", "faulty"), ("b", "gpt:beta", "pattern")],
    "hostile": [("a", "disk", "storm"), ("b", "gpt:beta", "nodisk")],
    "corrupt": [("a", "gpt:alpha", "corrupt"), ("b", "gpt:beta", "pattern")],
}


def driver(variant):
    interrupt = ('<intx id="2" vector="21" setvar_id="device_irq" />' if variant == "intx" else
                 '<msix id="2" vector="20" entry="0" setvar_id="device_irq" />')
    status = ('<map mr="driver_status" vaddr="0x40000000" perms="rw" setvar_vaddr="driver_status" />'
              if variant == "restart" else "")
    child_id = ' id="0"' if variant == "restart" else ""
    return f"""
    <protection_domain name="virtio_blk" priority="250"{child_id}>
        <program_image path="virtio_blk.elf" />
        <pci_device name="disk" pcidev="1af4:1042#0" info_vaddr="0x10000000" setvar_info="pci_info">
            <bar index="4" vaddr="0x10100000" size="0x4000" />
            <bar index="1" vaddr="0x10200000" size="0x1000" />
            {interrupt}
        </pci_device>
        <map mr="driver_dma" vaddr="0x20000000" perms="rw" setvar_vaddr="dma" setvar_size="dma_size" />
        <setvar symbol="dma_paddr" region_paddr="driver_dma" />
        <map mr="driver_queue" vaddr="0x30000000" perms="rw" setvar_vaddr="blk_queue" setvar_size="blk_queue_size" />
        {status}
    </protection_domain>"""


def system(variant):
    clients = CLIENTS[variant]
    regions = ['<memory_region name="driver_queue" size="0x2000" />',
               '<memory_region name="driver_dma" size="0x4000" />',
               '<memory_region name="virt_scratch" size="0x18000" />',
               '<memory_region name="results" size="0x1000" />']
    if variant == "restart":
        regions.append('<memory_region name="driver_status" size="0x1000" />')
    virt_maps, pds, channels = [], [], []
    for slot, (label, partition, mode) in enumerate(clients):
        regions += [f'<memory_region name="{label}_queue" size="0x2000" />',
                    f'<memory_region name="{label}_data" size="0x80000" />']
        virt_maps.append(f"""
        <map mr="{label}_queue" vaddr="{0x40000000 + slot * 0x100000:#x}" perms="rw" setvar_vaddr="client{slot}_queue" setvar_size="client{slot}_queue_size" />
        <setvar symbol="client{slot}_data_paddr" region_paddr="{label}_data" />
        <setvar symbol="client{slot}_data_size" region_size="{label}_data" />
        <setvar symbol="client{slot}_partition" string="{partition}" />""")
        pds.append(f"""
    <protection_domain name="client_{label}" priority="{100 + slot}">
        <program_image path="block_test_client.elf" />
        <map mr="{label}_queue" vaddr="0x40000000" perms="rw" setvar_vaddr="blk_queue" setvar_size="blk_queue_size" />
        <map mr="{label}_data" vaddr="0x50000000" perms="rw" setvar_vaddr="blk_data" setvar_size="blk_data_size" />
        <map mr="results" vaddr="0x60000000" perms="rw" setvar_vaddr="results" />
        <setvar symbol="label" string="{label}" />
        <setvar symbol="mode" string="{mode}" />
    </protection_domain>""")
        channels.append(f'<channel><end pd="blk_virt" id="{slot + 1}" /><end pd="client_{label}" id="0" /></channel>')
        channels.append(f'<channel><end pd="client_{label}" id="1" /><end pd="monitor" id="{slot}" /></channel>')
    if variant == "restart":
        pds.insert(0, f"""
    <protection_domain name="supervisor" priority="254">
        <program_image path="supervisor.elf" />
        <map mr="driver_status" vaddr="0x40000000" perms="r" setvar_vaddr="driver_status" />
        {driver(variant)}
    </protection_domain>""")
        channels.append('<channel><end pd="client_a" id="2" /><end pd="supervisor" id="0" /></channel>')
    else:
        pds.insert(0, driver(variant))
    channels.insert(0, '<channel><end pd="virtio_blk" id="1" /><end pd="blk_virt" id="0" /></channel>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by tests/system/block/make_system.py {variant}: do not edit. -->
<system>
    {chr(10).join('    ' + r for r in regions).strip()}
{''.join(pds)}
    <protection_domain name="blk_virt" priority="240">
        <program_image path="blk_virt.elf" />
        <map mr="driver_queue" vaddr="0x30000000" perms="rw" setvar_vaddr="driver_queue" setvar_size="driver_queue_size" />
        <map mr="virt_scratch" vaddr="0x20000000" perms="rw" setvar_vaddr="scratch" setvar_size="scratch_size" />
        <setvar symbol="scratch_paddr" region_paddr="virt_scratch" />{''.join(virt_maps)}
    </protection_domain>

    <protection_domain name="monitor" priority="1">
        <program_image path="monitor.elf" />
        <map mr="results" vaddr="0x60000000" perms="r" setvar_vaddr="results" />
    </protection_domain>

    {chr(10).join('    ' + c for c in channels).strip()}
</system>
"""


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CLIENTS:
        sys.exit(f"usage: make_system.py {{{','.join(CLIENTS)}}} OUTPUT")
    with open(sys.argv[2], "w") as out:
        out.write(system(sys.argv[1]))


if __name__ == "__main__":
    main()
