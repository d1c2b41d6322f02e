// seL4's region/object relations per capability kind. They decide derivation-tree parenthood
// and finality, so they follow seL4 exactly (src/object/objecttype.c; the arch kinds' rules are
// the architecture's, cap/arch_cap_rules.h).

#include "cdt/cap_relations.h"

#include "cap/arch_cap_rules.h"
#include "cap/cap_kinds.h"
#include "cap/cap_region.h"

namespace tessera::core {

bool same_region_as(Cap a, Cap b)
{
    switch (a.type()) {
    case CapType::Untyped:
        return is_physical(b) && region_of(a).contains(region_of(b));
    case CapType::Endpoint:
        return b.type() == CapType::Endpoint && EndpointCap{a}.object() == EndpointCap{b}.object();
    case CapType::Notification:
        return b.type() == CapType::Notification &&
               NotificationCap{a}.object() == NotificationCap{b}.object();
    case CapType::CNode:
        return b.type() == CapType::CNode && CNodeCap{a}.object() == CNodeCap{b}.object() &&
               CNodeCap{a}.radix() == CNodeCap{b}.radix();
    case CapType::Tcb:
        return b.type() == CapType::Tcb && TcbCap{a}.object() == TcbCap{b}.object();
    case CapType::Reply:
        return b.type() == CapType::Reply && ReplyCap{a}.tcb() == ReplyCap{b}.tcb();
    case CapType::Domain:
        return b.type() == CapType::Domain;
    case CapType::IrqControl:
        return b.type() == CapType::IrqControl || b.type() == CapType::IrqHandler;
    case CapType::IrqHandler:
        return b.type() == CapType::IrqHandler && IrqHandlerCap{a}.irq() == IrqHandlerCap{b}.irq();
    default:
        if (a.is_arch() && b.is_arch())
            return arch_same_region_as(a, b);
        return false;
    }
}

bool same_object_as(Cap a, Cap b)
{
    if (a.type() == CapType::Untyped)
        return false;
    if (a.type() == CapType::IrqControl && b.type() == CapType::IrqHandler)
        return false;
    if (a.is_arch() && b.is_arch())
        return arch_same_object_as(a, b);
    return same_region_as(a, b);
}

bool is_cap_revocable(Cap derived, Cap source)
{
    switch (derived.type()) {
    case CapType::Endpoint:
        // A badged copy of an unbadged endpoint starts a new subtree that can be revoked alone.
        return EndpointCap{derived}.badge() != EndpointCap{source}.badge();
    case CapType::Notification:
        return NotificationCap{derived}.badge() != NotificationCap{source}.badge();
    case CapType::IrqHandler:
        return source.type() == CapType::IrqControl;
    case CapType::Untyped:
        return true;
    default:
        return derived.is_arch() && arch_is_cap_revocable(derived, source);
    }
}

bool is_mdb_parent_of(const Slot& a, const Slot& b)
{
    if (!a.mdb.is_revocable() || !same_region_as(a.cap, b.cap))
        return false;
    // Badged endpoint/notification caps: a badged revocable cap parents only the copies of the
    // same badge made after it, up to the next "first badged" cap of that badge.
    switch (a.cap.type()) {
    case CapType::Endpoint: {
        Badge badge = EndpointCap{a.cap}.badge();
        if (badge.raw() == 0)
            return true;
        return badge == EndpointCap{b.cap}.badge() && !b.mdb.is_first_badged();
    }
    case CapType::Notification: {
        Badge badge = NotificationCap{a.cap}.badge();
        if (badge.raw() == 0)
            return true;
        return badge == NotificationCap{b.cap}.badge() && !b.mdb.is_first_badged();
    }
    default:
        return true;
    }
}

bool is_final_capability(const Slot& slot)
{
    const Slot* prev = slot.mdb.prev();
    if (prev != nullptr && same_object_as(prev->cap, slot.cap))
        return false;
    const Slot* next = slot.mdb.next();
    return next == nullptr || !same_object_as(slot.cap, next->cap);
}

} // namespace tessera::core
