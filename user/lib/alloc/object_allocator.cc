// The object allocator: a slot first, then the retype; undo the slot when the retype fails.
#include <tessera/alloc/object_allocator.h>

namespace tessera::alloc {

Result<Object> ObjectAllocator::allocate(seL4_Word type, SizeBits size_bits)
{
    auto slot = slots_.allocate();
    if (!slot)
        return slot.error();
    auto object = untypeds_.allocate(type, size_bits, slot.value());
    if (!object)
        (void)slots_.free(slot.value());
    return object;
}

Result<Object> ObjectAllocator::allocate_at(seL4_Word type, SizeBits size_bits, PAddr paddr)
{
    auto slot = slots_.allocate();
    if (!slot)
        return slot.error();
    auto object = untypeds_.allocate_at(type, size_bits, paddr, slot.value());
    if (!object)
        (void)slots_.free(slot.value());
    return object;
}

Result<void> ObjectAllocator::free(const Object& object)
{
    auto released = untypeds_.free(object);
    if (!released)
        return released;
    return slots_.free(object.cap);
}

} // namespace tessera::alloc
