// A guest's physical memory for the test VMM: a PML4 with an ASID as the nested page table, and
// RAM frames mapped both there (at guest-physical addresses) and in the VMM's own address space.
#pragma once

#include <sel4/sel4.h>

namespace vmm_suite {

struct GuestMemory {
    seL4_CPtr npt = seL4_CapNull; // the nested page table root
    seL4_Word host_base = 0;      // where the VMM sees guest-physical 0
    seL4_Word size = 0;
    // The VMM's view of guest-physical `gpa` (inside RAM).
    template <class T> volatile T* at(seL4_Word gpa) const
    {
        return reinterpret_cast<volatile T*>(host_base + gpa);
    }
};

// Retypes what it needs from the process allocator; false (after printing why) on any failure.
bool make_guest_memory(seL4_Word pages, GuestMemory& memory);

// The VMM's page at `host` mapped at guest-physical `gpa` in `npt` (a page table there exists)
// through a copy of its frame capability: the copy, to unmap it with, or seL4_CapNull.
seL4_CPtr share_page(seL4_CPtr npt, seL4_Word host, seL4_Word gpa);

} // namespace vmm_suite
