// The process-wide allocator behind <tessera/alloc.h>. It lives in static storage and is built
// by tessera_alloc_init, so no static constructor has to run first.
#include <tessera/alloc.h>
#include <tessera/alloc/object_allocator.h>

#include <new>

namespace tessera::alloc {

namespace {

struct ProcessAllocators {
    SlotAllocator slots;
    UntypedAllocator untypeds{slots};
    ObjectAllocator objects{slots, untypeds};
};

alignas(ProcessAllocators) unsigned char storage[sizeof(ProcessAllocators)];
ProcessAllocators* process = nullptr;

void to_c(const Object& from, tessera_object_t* to)
{
    *to = tessera_object_t{libos::raw(from.cap), from.type,    libos::raw(from.size_bits),
                           from.paddr.raw(),     from.untyped, from.generation};
}

Object from_c(const tessera_object_t& from)
{
    return Object{CPtr{from.cptr},
                  from.type,
                  SizeBits{from.size_bits},
                  PAddr{from.paddr},
                  static_cast<uint16_t>(from.untyped),
                  static_cast<uint16_t>(from.generation)};
}

} // namespace

ObjectAllocator* process_allocator()
{
    return process ? &process->objects : nullptr;
}

} // namespace tessera::alloc

using namespace tessera::alloc;

extern "C" seL4_Error tessera_alloc_init(const seL4_BootInfo* bi)
{
    if (bi == nullptr)
        return seL4_InvalidArgument;
    process = new (storage) ProcessAllocators;
    auto slots = process->slots.init(CPtr{seL4_CapInitThreadCNode}, bi->empty);
    if (!slots)
        return slots.code();
    return process->untypeds.add_boot_info(*bi).code();
}

extern "C" seL4_Error tessera_alloc_object(seL4_Word type, seL4_Word size_bits,
                                           tessera_object_t* object)
{
    if (!process || !object)
        return seL4_IllegalOperation;
    auto allocated = process->objects.allocate(type, SizeBits{size_bits});
    if (!allocated)
        return allocated.code();
    to_c(allocated.value(), object);
    return seL4_NoError;
}

extern "C" seL4_Error tessera_alloc_object_at(seL4_Word type, seL4_Word size_bits, seL4_Word paddr,
                                              tessera_object_t* object)
{
    if (!process || !object)
        return seL4_IllegalOperation;
    auto allocated = process->objects.allocate_at(type, SizeBits{size_bits}, PAddr{paddr});
    if (!allocated)
        return allocated.code();
    to_c(allocated.value(), object);
    return seL4_NoError;
}

extern "C" seL4_Error tessera_alloc_free(const tessera_object_t* object)
{
    if (!process || !object)
        return seL4_IllegalOperation;
    return process->objects.free(from_c(*object)).code();
}

extern "C" seL4_Error tessera_alloc_slot(seL4_CPtr* slot)
{
    if (!process || !slot)
        return seL4_IllegalOperation;
    auto allocated = process->slots.allocate();
    if (!allocated)
        return allocated.code();
    *slot = tessera::libos::raw(allocated.value());
    return seL4_NoError;
}

extern "C" seL4_Error tessera_alloc_free_slot(seL4_CPtr slot)
{
    if (!process)
        return seL4_IllegalOperation;
    return process->slots.free(CPtr{slot}).code();
}
