// Slots and untyped memory together: one call gives a new kernel object with its capability in
// a fresh slot, one call destroys it and frees both.
#pragma once

#include <tessera/alloc/untyped_allocator.h>

namespace tessera::alloc {

class ObjectAllocator {
public:
    ObjectAllocator(SlotAllocator& slots, UntypedAllocator& untypeds)
        : slots_(slots), untypeds_(untypeds)
    {
    }

    // A new object of `type` (size_bits for CNodes and untypeds only). On failure no slot is
    // lost and the error is the untyped allocator's or the slot allocator's.
    Result<Object> allocate(seL4_Word type, SizeBits size_bits = SizeBits{0});
    Result<Object> allocate_at(seL4_Word type, SizeBits size_bits, PAddr paddr);
    // Deletes the capability, returns the memory to its untyped and the slot to the allocator.
    Result<void> free(const Object& object);

    Result<Object> endpoint() { return allocate(seL4_EndpointObject); }
    Result<Object> notification() { return allocate(seL4_NotificationObject); }
    Result<Object> tcb() { return allocate(seL4_TCBObject); }
    Result<Object> frame() { return allocate(seL4_X86_4K); }
    Result<Object> cnode(SizeBits slot_bits) { return allocate(seL4_CapTableObject, slot_bits); }

    SlotAllocator& slots() { return slots_; }
    UntypedAllocator& untypeds() { return untypeds_; }

private:
    SlotAllocator& slots_;
    UntypedAllocator& untypeds_;
};

} // namespace tessera::alloc
