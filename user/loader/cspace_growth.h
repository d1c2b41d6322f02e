// The loader's own capability space, grown past the root CNode the kernel gives it. The kernel's
// root CNode has a fixed size (2^12 slots on seL4 x86_64 and on Tessera), which would bound how
// many objects the loader may hold at once and so how large a system can be; the loader instead
// builds a CNode of the size the system needs from untyped memory and moves into it.
#pragma once

#include <tessera/alloc/object_allocator.h>

#include "kernel_probe.h"

namespace tessera::loader {

// Retypes a CNode of 2^new_bits slots, moves every capability of the current root CNode
// (2^old_bits slots) to the same index in it, puts a capability to the new CNode in
// seL4_CapInitThreadCNode's slot, makes it the loader's CSpace root (seL4_TCB_SetSpace) and
// destroys the old CNode. Every slot number keeps its meaning, so the BootInfo's regions and the
// allocators' records stay true; the slot allocator then hands out slots up to 2^new_bits.
// Call it before anything depends on the old CNode's own capability. On a refusal the loader's
// CSpace may be half moved: the caller reports the error and stops.
// Full slots are the kernel's below `first_free` (BootInfo.empty.start) and those the slot
// allocator handed out; with debug calls the kernel's are asked (seL4_DebugCapIdentify), so no
// empty slot is moved (seL4's debug kernel prints a line for each such refusal).
libos::Result<void> grow_cspace(alloc::ObjectAllocator& objects, uint32_t old_bits, uint32_t new_bits,
                                seL4_Word first_free, DebugCalls debug_calls);

} // namespace tessera::loader
