// Derivation rules of seL4 (objecttype.c), one switch per rule; the arch kinds' are the
// architecture's (cap/arch_cap_rules.h).

#include "cdt/derive.h"

#include <tessera/abi/cnode_cap_data.h>

#include "cap/arch_cap_rules.h"
#include "cap/cap_kinds.h"
#include "cdt/cap_relations.h"

namespace tessera::core {

namespace {

// seL4_CNode_CapData: the guard size and guard a Mint/Mutate/Rotate puts on a CNode cap.
using CapDataGuardSize = Field<TESSERA_CNODE_GUARD_SIZE_SHIFT, TESSERA_CNODE_GUARD_SIZE_BITS>;
using CapDataGuard = Field<TESSERA_CNODE_GUARD_SHIFT, TESSERA_CNODE_GUARD_BITS>;
static_assert(tiles_word<CapDataGuardSize, CapDataGuard>());

} // namespace

Cap mask_cap_rights(CapRights rights, Cap cap)
{
    switch (cap.type()) {
    case CapType::Endpoint: {
        EndpointCap e{cap};
        return e.with_rights(e.rights() & rights).cap();
    }
    case CapType::Notification: {
        NotificationCap n{cap};
        return n.with_rights(n.rights() & rights).cap();
    }
    case CapType::Reply: {
        ReplyCap r{cap};
        return r.with_can_grant(r.can_grant() && rights.allows_grant()).cap();
    }
    default:
        return cap.is_arch() ? arch_mask_cap_rights(rights, cap) : cap;
    }
}

Cap update_cap_data(UpdateMode mode, Word data, Cap cap)
{
    switch (cap.type()) {
    case CapType::Endpoint: {
        EndpointCap e{cap};
        if (mode == UpdateMode::SetBadge && e.badge().raw() == 0)
            return e.with_badge(Badge{data}).cap();
        return Cap{};
    }
    case CapType::Notification: {
        NotificationCap n{cap};
        if (mode == UpdateMode::SetBadge && n.badge().raw() == 0)
            return n.with_badge(Badge{data}).cap();
        return Cap{};
    }
    case CapType::CNode: {
        CNodeCap c{cap};
        unsigned guard_size = static_cast<unsigned>(CapDataGuardSize::get(data));
        if (guard_size + c.radix() > WordBits)
            return Cap{};
        Word guard = CapDataGuard::get(data) & mask(guard_size);
        return c.with_guard(guard, guard_size).cap();
    }
    default:
        return cap;
    }
}

Result<Cap> derive_cap(const Slot& slot, Cap cap)
{
    if (cap.is_arch())
        return arch_derive_cap(cap);
    switch (cap.type()) {
    case CapType::Zombie:
    case CapType::IrqControl:
    case CapType::Reply:
        return Cap{};
    case CapType::Untyped: {
        // A copy of an untyped with children could retype over them after its reset.
        auto no_children = ensure_no_children(slot);
        if (!no_children)
            return no_children.error();
        return cap;
    }
    default:
        return cap;
    }
}

Result<void> ensure_no_children(const Slot& slot)
{
    const Slot* next = slot.mdb.next();
    if (next != nullptr && is_mdb_parent_of(slot, *next))
        return SyscallError::revoke_first().because("the capability has children");
    return {};
}

Result<void> ensure_empty_slot(const Slot& slot)
{
    if (!slot.is_empty())
        return SyscallError::delete_first().because("slot not empty");
    return {};
}

} // namespace tessera::core
