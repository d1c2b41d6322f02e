// What the objects suites share: the result lines (tests/system/libos/check.h) and objects
// retyped from the largest RAM untyped into the next free slot of the root CNode.
#pragma once

#include <sel4/sel4.h>
#include <stdio.h>

#include "check.h"

namespace objects_suite {

using libos_suite::check;
using libos_suite::check_error;
using libos_suite::summary;

inline seL4_CPtr next_free, untyped;

// Starts allocation at BootInfo's first empty slot, from the largest RAM untyped.
inline void use_boot_resources(const seL4_BootInfo* bi)
{
    next_free = bi->empty.start;
    seL4_Word largest = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits > bi->untypedList[largest].sizeBits)
            largest = i;
    untyped = bi->untyped.start + largest;
}

// A new object of `type` in the next free slot (the slot is used even when the retype fails).
inline seL4_CPtr make(seL4_Word type, seL4_Word size_bits = 0)
{
    const seL4_CPtr slot = next_free++;
    const seL4_Error e = seL4_Untyped_Retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    if (e != seL4_NoError)
        printf("retype of type %lu failed: %d\n", (unsigned long)type, int(e));
    return slot;
}

} // namespace objects_suite
