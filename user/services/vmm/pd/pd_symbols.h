// The variables a VMM protection domain's system description patches (setvar), declared once for
// both VMM PDs: the Linux VMM (user/services/vmm/linux, in the system tools/tessera/src/
// vm_system.cc writes) and systems/vm.system's. pd_symbols.cc defines them in .data, so that the
// image holds bytes for the tool to patch; what a system does not set stays 0 (no disk N: the
// blkN_* are 0). The serial virtualiser's two clients of a VMM, the guest's COM1 and the VMM's own
// lines, are attached here too, the same way for both.
#pragma once

#include <microkit.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/serial_client.h>

extern "C" {
// The guest's RAM (the <virtual_machine>'s memory region).
extern uintptr_t guest_ram;
extern size_t guest_ram_size;
// The serial virtualiser's rings: the guest's COM1, and the VMM's own lines.
extern uintptr_t guest_serial_tx;
extern size_t guest_serial_tx_size;
extern uintptr_t guest_serial_rx;
extern size_t guest_serial_rx_size;
extern uintptr_t vmm_serial_tx;
extern size_t vmm_serial_tx_size;
extern uintptr_t vmm_serial_rx;
extern size_t vmm_serial_rx_size;
// The Linux VMM's alone: the guest bundle `tessera vm` prefilled, the kernel's BootInfo chunk
// with the TSC rate, the HPET's registers, and for each guest disk N (0-3) its block
// virtualiser's client regions blkN_queue and blkN_data.
extern uintptr_t guest_bundle;
extern size_t guest_bundle_size;
extern uintptr_t tsc_frequency;
extern uintptr_t hpet_registers;
// The exit-storm guard's limit in exits per second of guest time, as decimal text (a string
// setvar; empty: the VMM's default). Sized for any number parse_exit_storm_limit takes.
extern char exit_storm_limit[24];
}

namespace tessera::services::vmm {

// One guest disk's block-virtualiser client regions, as the system patched them (all 0: none).
struct DiskRegions {
    uintptr_t queue;
    size_t queue_size;
    uintptr_t data;
    size_t data_size;
};
constexpr unsigned MaxDiskRegions = 4;
// Disk `index` (below MaxDiskRegions).
DiskRegions disk_regions(unsigned index);

// Attaches the guest's COM1 client or the VMM's own to its rings above, on channel `ch`. Neither
// may block: the VMM runs the guest, and a wait would take the guest's notifications, so output
// that finds a full ring is dropped and counted. False when the rings are unusable.
bool attach_guest_serial(tessera_serial_client& client, microkit_channel ch);
bool attach_vmm_serial(tessera_serial_client& client, microkit_channel ch);

} // namespace tessera::services::vmm
