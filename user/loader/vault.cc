// Vault slots are addressed from the vault's own capability (guard 0), at its radix as depth.
#include "vault.h"

#include <sel4/sel4.h>

namespace tessera::loader {

using libos::check;
using libos::make_error;
using libos::raw;

Result<void> Vault::create(alloc::ObjectAllocator& objects, uint32_t slots)
{
    uint32_t bits = 1;
    while ((uint64_t{1} << bits) < uint64_t{slots} + 1)
        ++bits;
    auto cnode = objects.cnode(libos::SizeBits{bits});
    if (!cnode)
        return cnode.error();
    cap_ = cnode.value().cap;
    bits_ = bits;
    return {};
}

Result<uint32_t> Vault::take(CPtr slot)
{
    if ((uint64_t{next_} + 1) >= (uint64_t{1} << bits_))
        return make_error(seL4_NotEnoughMemory, "vault: full");
    auto moved = check(seL4_CNode_Move(raw(cap_), next_, uint8_t(bits_), seL4_CapInitThreadCNode,
                                       raw(slot), seL4_WordBits),
                       "move a capability into the vault");
    if (!moved)
        return moved.error();
    return next_++;
}

Result<void> Vault::seal()
{
    return check(seL4_CNode_Copy(raw(cap_), (seL4_Word{1} << bits_) - 1, uint8_t(bits_),
                                 seL4_CapInitThreadCNode, raw(cap_), seL4_WordBits, seL4_AllRights),
                 "seal the vault");
}

} // namespace tessera::loader
