// How the core reaches physical memory without touching it directly: one constant offset from a
// physical address to a pointer. The kernel uses its direct-map offset, tests a host buffer's
// address minus a pretend physical base, so translation costs one add in both worlds.
#pragma once

#include "base/types.h"

namespace tessera::core {

class MemoryWindow {
public:
    constexpr MemoryWindow() : offset_(0) {}
    // `pointer_for_zero` is the pointer value that physical address 0 maps to (may wrap).
    constexpr explicit MemoryWindow(Word pointer_for_zero) : offset_(pointer_for_zero) {}

    template <class T> T* at(PAddr address) const
    {
        return reinterpret_cast<T*>(address.raw() + offset_);
    }
    PAddr physical(const void* pointer) const
    {
        return PAddr{reinterpret_cast<Word>(pointer) - offset_};
    }
    // Clears `bytes` bytes (a multiple of 8) from an 8-byte-aligned physical address.
    void zero(PAddr address, Word bytes) const;

private:
    Word offset_;
};

} // namespace tessera::core
