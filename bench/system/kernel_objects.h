// The kernel objects the benchmarks use, made directly with seL4 invocations so that the suite
// depends on nothing but libsel4: slots from BootInfo's empty region, objects retyped from the
// largest untyped, frames mapped with the paging structures created on demand.
#pragma once

#include <sel4/sel4.h>

namespace tessera::bench {

// A capability slot in the root CNode, and the outcome of making something.
struct Made {
    seL4_Error error;
    seL4_CPtr cap;
    bool ok() const { return error == seL4_NoError; }
};

class KernelObjects {
public:
    // Reads the untyped list and empty slots from the root task's BootInfo.
    explicit KernelObjects(const seL4_BootInfo& boot_info);

    // The next empty slot of the root CNode, or 0 when none is left.
    seL4_CPtr take_slot();
    // One object of `type` (size_bits for untyped and CNodes only) in a fresh slot.
    Made make(seL4_Word type, seL4_Word size_bits = 0);
    // Maps `frame` at `vaddr` in `vspace`, making any missing page table, page directory or PDPT
    // first (the kernel's failed-lookup reply names the missing level by its bits left).
    seL4_Error map_frame(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
                         seL4_X86_VMAttributes attributes = seL4_X86_Default_VMAttributes);
    // A new PML4 with an ASID from the initial pool: an empty address space of its own.
    Made make_vspace();
    // A copy of `cap` in a fresh slot (a frame needs one capability per mapping).
    Made copy(seL4_CPtr cap);
    // A badged copy of the endpoint or notification `cap` in a fresh slot.
    Made mint(seL4_CPtr cap, seL4_Word badge);

private:
    // Makes and maps the paging structure the last failed lookup named; returns the map's result.
    seL4_Error add_missing_structure(seL4_CPtr vspace, seL4_Word vaddr);

    seL4_CPtr next_slot_;
    seL4_CPtr end_slot_;
    seL4_CPtr untyped_;
};

} // namespace tessera::bench
