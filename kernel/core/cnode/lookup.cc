// The guarded radix walk. Each level consumes guard_size guard bits then radix index bits from
// the top of the remaining address; the walk continues while bits remain and the slot reached
// holds another CNode capability (seL4 manual, "CSpace Addressing").

#include "cnode/lookup.h"

#include "cap/cap_kinds.h"
#include "cdt/derive.h"

namespace tessera::core {

Result<ResolvedSlot, LookupFailure> resolve_address_bits(const CoreContext& ctx, Cap node,
                                                         CPtr cptr, Depth depth)
{
    if (node.type() != CapType::CNode)
        return LookupFailure::invalid_root();
    Word n_bits = depth.raw();
    Word address = raw(cptr);

    for (;;) {
        CNodeCap cnode{node};
        Word radix_bits = cnode.radix();
        Word guard_bits = cnode.guard_size();
        Word level_bits = radix_bits + guard_bits;

        // Masking the shift keeps it defined when the guard is longer than the bits left;
        // that case is rejected right after.
        Word guard = (address >> ((n_bits - guard_bits) & (WordBits - 1))) & mask(guard_bits);
        if (guard_bits > n_bits || guard != cnode.guard())
            return LookupFailure::guard_mismatch(n_bits, cnode.guard(), guard_bits);
        if (level_bits > n_bits)
            return LookupFailure::depth_mismatch(n_bits, level_bits);

        Word offset = (address >> (n_bits - level_bits)) & mask(radix_bits);
        Slot* slot = ctx.window.at<Slot>(cnode.slot_address(offset));
        if (n_bits <= level_bits)
            return ResolvedSlot{slot, 0};

        n_bits -= level_bits;
        node = slot->cap;
        if (node.type() != CapType::CNode)
            return ResolvedSlot{slot, n_bits};
    }
}

Slot* lookup_slot_fast(const CoreContext& ctx, Cap node, CPtr cptr)
{
    Word n_bits = WordBits;
    const Word address = raw(cptr);
    while (node.type() == CapType::CNode) {
        const CNodeCap cnode{node};
        const Word radix_bits = cnode.radix();
        const Word guard_bits = cnode.guard_size();
        const Word level_bits = radix_bits + guard_bits;
        if (level_bits > n_bits ||
            ((address >> ((n_bits - guard_bits) & (WordBits - 1))) & mask(guard_bits)) != cnode.guard())
            return nullptr;
        Slot* slot = ctx.window.at<Slot>(cnode.slot_address((address >> (n_bits - level_bits)) & mask(radix_bits)));
        n_bits -= level_bits;
        if (n_bits == 0)
            return slot;
        node = slot->cap;
    }
    // Bits left at a slot that holds no CNode: lookup_slot returns that slot; it is rare enough
    // to leave to the slow path.
    return nullptr;
}

Result<Slot*, LookupFailure> lookup_slot(const CoreContext& ctx, Cap cspace_root, CPtr cptr)
{
    auto resolved = resolve_address_bits(ctx, cspace_root, cptr, Depth{WordBits});
    if (!resolved)
        return resolved.error();
    return resolved.value().slot;
}

Result<Cap, LookupFailure> lookup_cap(const CoreContext& ctx, Cap cspace_root, CPtr cptr)
{
    auto slot = lookup_slot(ctx, cspace_root, cptr);
    if (!slot)
        return slot.error();
    return slot.value()->cap;
}

Result<Slot*> lookup_slot_for_cnode_op(const CoreContext& ctx, LookupSide side, Cap root, CPtr cptr,
                                       Depth depth)
{
    if (root.type() != CapType::CNode)
        return SyscallError::failed_lookup(side, LookupFailure::invalid_root())
            .because("root is not a CNode");
    if (depth.raw() < 1 || depth.raw() > WordBits)
        return SyscallError::range_error(1, WordBits).because("depth outside 1..64");
    auto resolved = resolve_address_bits(ctx, root, cptr, depth);
    if (!resolved)
        return SyscallError::failed_lookup(side, resolved.error()).because("address does not resolve");
    if (resolved.value().bits_remaining != 0)
        return SyscallError::failed_lookup(
                   side, LookupFailure::depth_mismatch(resolved.value().bits_remaining, 0))
            .because("address resolves to a CNode before the depth");
    return resolved.value().slot;
}

Result<Slot*> lookup_empty_target_slot(const CoreContext& ctx, Cap root, CPtr cptr, Depth depth)
{
    auto dest = lookup_target_slot(ctx, root, cptr, depth);
    if (!dest)
        return dest;
    auto empty = ensure_empty_slot(*dest.value());
    if (!empty)
        return empty.error();
    return dest;
}

} // namespace tessera::core
