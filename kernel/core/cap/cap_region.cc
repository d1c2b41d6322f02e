// Physical extent of each capability kind; sizes are the ABI's object sizes. The arch kinds' are
// the architecture's (cap/arch_cap_rules.h).

#include "cap/cap_region.h"

#include <tessera/abi/object_sizes.h>

#include "cap/arch_cap_rules.h"
#include "cap/cap_kinds.h"

namespace tessera::core {

bool is_physical(Cap cap)
{
    switch (cap.type()) {
    case CapType::Untyped:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::CNode:
    case CapType::Tcb:
    case CapType::Zombie:
        return true;
    default:
        return cap.is_arch() && arch_is_physical(cap);
    }
}

Region region_of(Cap cap)
{
    switch (cap.type()) {
    case CapType::Untyped: {
        UntypedCap u{cap};
        return {u.base(), u.size_bits()};
    }
    case CapType::Endpoint:
        return {EndpointCap{cap}.object(), SizeBits{seL4_EndpointBits}};
    case CapType::Notification:
        return {NotificationCap{cap}.object(), SizeBits{seL4_NotificationBits}};
    case CapType::CNode: {
        CNodeCap c{cap};
        return {c.object(), SizeBits{c.radix() + seL4_SlotBits}};
    }
    case CapType::Tcb:
        return {TcbCap{cap}.object(), SizeBits{seL4_TCBBits}};
    case CapType::Zombie: {
        ZombieCap z{cap};
        return {z.slots(), z.size_bits()};
    }
    default:
        return cap.is_arch() ? arch_region_of(cap) : Region{PAddr{0}, SizeBits{0}};
    }
}

} // namespace tessera::core
