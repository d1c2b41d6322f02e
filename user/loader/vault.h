// The vault: a CNode that ends up holding every capability the loader must not keep but the
// system needs (a TCB or a mapped frame dies with its last capability), and a capability to
// itself. Once the loader drops its own capability to it, no thread can reach it again.
#pragma once

#include <tessera/alloc/object_allocator.h>

namespace tessera::loader {

using libos::CPtr;
using libos::Result;

class Vault {
public:
    // Retypes a CNode with room for at least `slots` capabilities plus its own.
    Result<void> create(alloc::ObjectAllocator& objects, uint32_t slots);

    // Moves the capability in the loader's root slot into the next free vault slot and returns
    // that slot's index. The root slot is empty afterwards.
    Result<uint32_t> take(CPtr slot);
    // Puts a copy of the vault's own capability into its last slot.
    Result<void> seal();

    CPtr cap() const { return cap_; }
    uint32_t bits() const { return bits_; }
    uint32_t taken() const { return next_; }

private:
    CPtr cap_ = libos::NullCap;
    uint32_t bits_ = 0;
    uint32_t next_ = 0;
};

} // namespace tessera::loader
