// The system `tessera vm` boots (docs/vmm.md, "Running a guest with tessera vm"): the Linux VMM
// protection domain (linux_vmm.elf) with its <virtual_machine>, the UART driver and the serial
// virtualiser for one console, and for each disk a virtio-blk driver and a block virtualiser of
// its own, whose one client is the VMM. Written as a .system description, so that the ordinary checker,
// compiler and loader build it; the channel and variable names are linux_guest.h's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::sdf {

// The disks a guest can have: the Linux VMM's (user/services/vmm/linux/linux_guest.h, MaxDisks:
// PCI slots 1-4, each with an INTA GSI of its own).
constexpr unsigned MaxVmDisks = 4;

struct VmSystemSpec {
    uint64_t guest_ram_bytes = 0; // a whole number of 2 MiB pages
    std::string bundle_file;      // the guest bundle, a prefill file beside the description
    // One entry per virtio-blk disk, in QEMU's --disk order (disk N is QEMU's 1af4:1042 #N and
    // the guest's 00:0(N+1).0): whether it is read-only.
    std::vector<bool> disks_read_only;
    // The VMM's exit-storm limit in exits per second of guest time; 0: the VMM's own default.
    uint64_t exit_limit = 0;
};

// Guest RAM as the VMM's region takes it: rounded up to whole 2 MiB pages.
uint64_t vm_guest_ram_bytes(uint64_t requested);

std::string linux_vm_system(const VmSystemSpec& spec);

} // namespace tessera::sdf
