// The system `tessera vm` boots (docs/vmm.md, "Running a guest with tessera vm"): the Linux VMM
// protection domain (linux_vmm.elf) with its <virtual_machine>, the UART driver and the serial
// virtualiser for one console, and with a disk the virtio-blk driver and the block virtualiser,
// whose one client is the VMM. Written as a .system description, so that the ordinary checker,
// compiler and loader build it; the channel and variable names are linux_guest.h's.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::sdf {

struct VmSystemSpec {
    uint64_t guest_ram_bytes = 0;     // a whole number of 2 MiB pages
    std::string bundle_file;          // the guest bundle, a prefill file beside the description
    bool disk = false;                // a virtio-blk disk for the guest (QEMU's first --disk)
    bool disk_read_only = false;
};

// Guest RAM as the VMM's region takes it: rounded up to whole 2 MiB pages.
uint64_t vm_guest_ram_bytes(uint64_t requested);

std::string linux_vm_system(const VmSystemSpec& spec);

} // namespace tessera::sdf
