// CSpace addressing: seL4's guarded radix lookup of a CPtr through CNode capabilities, and the
// slot lookups CNode and Untyped invocations use, with seL4's lookup failure reports.
#pragma once

#include "base/context.h"
#include "base/result.h"
#include "cap/cap.h"
#include "cap/slot.h"

namespace tessera::core {

struct ResolvedSlot {
    Slot* slot;
    Word bits_remaining; // nonzero when the walk stopped at a slot not holding a CNode
};

// seL4 resolveAddressBits: walks `depth` bits of `cptr` from `node` (which must be a CNode
// capability) and returns the slot reached. Fails with the exact lookup failure seL4 reports.
Result<ResolvedSlot, LookupFailure> resolve_address_bits(const CoreContext& ctx, Cap node,
                                                         CPtr cptr, Depth depth);
// seL4 lookupSlot: a full-word lookup from a thread's CSpace root (used for invoked caps).
Result<Slot*, LookupFailure> lookup_slot(const CoreContext& ctx, Cap cspace_root, CPtr cptr);
// The IPC fastpath's lookup (seL4 lookup_fp): the same walk as lookup_slot, without failure
// reports. Null when lookup_slot would fail; the slow path then redoes it and reports why.
Slot* lookup_slot_fast(const CoreContext& ctx, Cap cspace_root, CPtr cptr);
// seL4 lookupCap: the capability a full-word lookup finds (null if the slot is empty).
Result<Cap, LookupFailure> lookup_cap(const CoreContext& ctx, Cap cspace_root, CPtr cptr);

// seL4 lookupSlotForCNodeOp: the slot named by (root, cptr, depth) in a CNode invocation.
// Depth must be 1..64 (RangeError) and must land exactly on a slot (DepthMismatch);
// failures are FailedLookup errors tagged with `side`.
Result<Slot*> lookup_slot_for_cnode_op(const CoreContext& ctx, LookupSide side, Cap root, CPtr cptr,
                                       Depth depth);
inline Result<Slot*> lookup_source_slot(const CoreContext& ctx, Cap root, CPtr cptr, Depth depth)
{
    return lookup_slot_for_cnode_op(ctx, LookupSide::Source, root, cptr, depth);
}
inline Result<Slot*> lookup_target_slot(const CoreContext& ctx, Cap root, CPtr cptr, Depth depth)
{
    return lookup_slot_for_cnode_op(ctx, LookupSide::Destination, root, cptr, depth);
}
// lookupTargetSlot then ensureEmptySlot (DeleteFirst), what every invocation that issues a new
// capability (IRQ handlers, I/O port ranges) checks.
Result<Slot*> lookup_empty_target_slot(const CoreContext& ctx, Cap root, CPtr cptr, Depth depth);
inline Result<Slot*> lookup_pivot_slot(const CoreContext& ctx, Cap root, CPtr cptr, Depth depth)
{
    return lookup_slot_for_cnode_op(ctx, LookupSide::Source, root, cptr, depth);
}

} // namespace tessera::core
