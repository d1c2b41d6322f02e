// Memory for the loader's tables (one record per object of the spec, and per mapping). A small
// system's fit the loader's heap; a large one's (thousands of protection domains) get pages of
// their own (mapped_memory.h).
#pragma once

#include <tessera/load_plan.h>

#include "mapped_memory.h"

namespace tessera::loader {

class TableMemory {
public:
    // Up to this many bytes come from the heap; more are mapped (the plan counts them so).
    static constexpr uint64_t HeapLimit = spec::LoaderHeapTableLimit;
    // Where mapped tables start: 513 GiB, beside the window (Loader::WindowBase).
    static constexpr seL4_Word Base = 0x8040000000;
    static constexpr uint32_t MaxPages = 64; // 128 MiB: tables for over a million objects

    explicit TableMemory(alloc::ObjectAllocator& objects) : pages_(objects, Base, mappings_, MaxPages) {}

    // Makes `bytes` bytes available to take(). NotEnoughMemory when the heap, the untyped memory
    // or the mapping range runs out. Call once.
    libos::Result<void> reserve(uint64_t bytes);
    // `count` zeroed elements of T, 16-byte aligned; null once the reservation is used up.
    template <class T> T* take(uint64_t count)
    {
        return static_cast<T*>(take_bytes(count * sizeof(T)));
    }

private:
    void* take_bytes(uint64_t bytes);

    vspace::Mapping mappings_[MaxPages];
    MappedMemory pages_;
    uint8_t* next_ = nullptr;
    uint8_t* end_ = nullptr;
};

} // namespace tessera::loader
