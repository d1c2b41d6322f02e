// Decoding follows seL4's decodeCNodeInvocation check by check (the first failing check decides
// the error a user sees), one function per method.

#include "cnode/cnode_invocation.h"

#include <tessera/abi/invocation_decode.h>

#include "cdt/cdt.h"
#include "cdt/delete.h"
#include "cdt/derive.h"
#include "cnode/lookup.h"

namespace tessera::core {

namespace {

namespace inv = abi::invocation;

// Where the decoders read the target and source through one method's layout, the others must
// agree (abi/invocations/generic.def).
template <class A, class B> constexpr bool same_head()
{
    return A::word_count >= 4 && B::word_count >= 4 && A::cap_count >= 1 && B::cap_count >= 1 &&
           A::word_masks[0] == B::word_masks[0] && A::word_masks[1] == B::word_masks[1] &&
           A::word_masks[2] == B::word_masks[2] && A::word_masks[3] == B::word_masks[3];
}
static_assert(same_head<inv::CNodeMove, inv::CNodeCopy>());
static_assert(same_head<inv::CNodeMove, inv::CNodeMint>());
static_assert(same_head<inv::CNodeMove, inv::CNodeMutate>());
static_assert(inv::CNodeRevoke::word_masks[0] == inv::CNodeRotate::word_masks[0] &&
              inv::CNodeRevoke::word_masks[1] == inv::CNodeRotate::word_masks[1] &&
              inv::CNodeRevoke::word_masks[1] == inv::CNodeMove::word_masks[1]);

// Copy, Mint, Move and Mutate: (dest index, dest depth, src root, src index, src depth, ...).
Result<CNodePlan> decode_transfer(CoreContext& ctx, CNodeMethod method, const Invocation& inv,
                                  Slot* destination)
{
    // The four methods share their first five arguments (static_asserts below), so Move's
    // layout reads the source; each method's own tail is read through its own layout.
    if (inv.length() < 4 || inv.extra_cap(inv::CNodeMove::src_root_cap) == nullptr)
        return SyscallError::truncated_message().because(
            "CNode Copy/Mint/Move/Mutate: truncated message");
    const auto args = inv.arguments<inv::CNodeMove>();
    const Word src_index = args.src_index;
    const Word src_depth = args.src_depth;
    const Cap src_root = inv.extra_cap(inv::CNodeMove::src_root_cap)->cap;

    auto empty = ensure_empty_slot(*destination);
    if (!empty)
        return empty.error().because("CNode Copy/Mint/Move/Mutate: destination not empty");
    auto looked_up = lookup_source_slot(ctx, src_root, CPtr{src_index}, Depth{src_depth});
    if (!looked_up)
        return looked_up.error().because("CNode Copy/Mint/Move/Mutate: invalid source slot");
    Slot* source = looked_up.value();
    if (source->is_empty())
        return SyscallError::failed_lookup(LookupSide::Source,
                                           LookupFailure::missing_capability(src_depth))
            .because("CNode Copy/Mint/Move/Mutate: source slot empty");

    Cap new_cap;
    switch (method) {
    case CNodeMethod::Copy: {
        if (inv.length() < inv::CNodeCopy::word_count)
            return SyscallError::truncated_message().because("CNode Copy: truncated message");
        const auto copy = inv.arguments<inv::CNodeCopy>();
        Cap masked = mask_cap_rights(CapRights::from_word(copy.rights), source->cap);
        auto derived = derive_cap(*source, masked);
        if (!derived)
            return derived.error().because("CNode Copy: cannot derive capability");
        new_cap = derived.value();
        break;
    }
    case CNodeMethod::Mint: {
        if (inv.length() < inv::CNodeMint::word_count)
            return SyscallError::truncated_message().because("CNode Mint: truncated message");
        const auto mint = inv.arguments<inv::CNodeMint>();
        Cap masked = mask_cap_rights(CapRights::from_word(mint.rights), source->cap);
        auto derived =
            derive_cap(*source, update_cap_data(UpdateMode::SetBadge, mint.badge, masked));
        if (!derived)
            return derived.error().because("CNode Mint: cannot derive capability");
        new_cap = derived.value();
        break;
    }
    case CNodeMethod::Move:
        new_cap = source->cap;
        break;
    case CNodeMethod::Mutate:
        if (inv.length() < inv::CNodeMutate::word_count)
            return SyscallError::truncated_message().because("CNode Mutate: truncated message");
        new_cap = update_cap_data(UpdateMode::Preserve, inv.arguments<inv::CNodeMutate>().badge,
                                  source->cap);
        break;
    default:
        return SyscallError::illegal_operation().because("CNode: not a transfer method");
    }
    if (new_cap.is_null())
        return SyscallError::illegal_operation().because(
            "CNode Copy/Mint/Move/Mutate: new cap would be invalid");
    return CNodePlan{method, destination, source, nullptr, new_cap, Cap{}};
}

bool has_cancel_send_rights(Cap cap)
{
    if (cap.type() != CapType::Endpoint)
        return false;
    EndpointCap e{cap};
    return e.can_send() && e.can_receive() && e.can_grant() && e.can_grant_reply();
}

// Rotate: (dest index, dest depth, pivot badge, pivot index, pivot depth, src badge, src index,
// src depth) with extra caps (pivot root, src root).
Result<CNodePlan> decode_rotate(CoreContext& ctx, const Invocation& inv, Slot* destination)
{
    using Method = inv::CNodeRotate;
    if (inv.length() < Method::word_count || inv.extra_cap(Method::pivot_root_cap) == nullptr ||
        inv.extra_cap(Method::src_root_cap) == nullptr)
        return SyscallError::truncated_message().because("CNode Rotate: truncated message");
    const auto args = inv.arguments<Method>();
    // The pivot's cap moves to the destination with dest_badge; the source's cap moves to the
    // pivot with pivot_badge (manual, "CNode_Rotate").
    const Word pivot_data = args.dest_badge;
    const Word pivot_index = args.pivot_index;
    const Word pivot_depth = args.pivot_depth;
    const Word src_data = args.pivot_badge;
    const Word src_index = args.src_index;
    const Word src_depth = args.src_depth;
    const Cap pivot_root = inv.extra_cap(Method::pivot_root_cap)->cap;
    const Cap src_root = inv.extra_cap(Method::src_root_cap)->cap;

    auto source = lookup_source_slot(ctx, src_root, CPtr{src_index}, Depth{src_depth});
    if (!source)
        return source.error().because("CNode Rotate: invalid source slot");
    auto pivot = lookup_pivot_slot(ctx, pivot_root, CPtr{pivot_index}, Depth{pivot_depth});
    if (!pivot)
        return pivot.error().because("CNode Rotate: invalid pivot slot");
    Slot* src = source.value();
    Slot* piv = pivot.value();
    if (piv == src || piv == destination)
        return SyscallError::illegal_operation().because(
            "CNode Rotate: pivot is the source or destination");
    if (src != destination) {
        auto empty = ensure_empty_slot(*destination);
        if (!empty)
            return empty.error().because("CNode Rotate: destination not empty");
    }
    if (src->is_empty())
        return SyscallError::failed_lookup(LookupSide::Source,
                                           LookupFailure::missing_capability(src_depth))
            .because("CNode Rotate: source slot empty");
    if (piv->is_empty())
        return SyscallError::failed_lookup(LookupSide::Destination,
                                           LookupFailure::missing_capability(pivot_depth))
            .because("CNode Rotate: pivot slot empty");
    Cap new_src = update_cap_data(UpdateMode::Preserve, src_data, src->cap);
    Cap new_pivot = update_cap_data(UpdateMode::Preserve, pivot_data, piv->cap);
    if (new_src.is_null() || new_pivot.is_null())
        return SyscallError::illegal_operation().because(
            "CNode Rotate: source or pivot cap would be invalid");
    return CNodePlan{CNodeMethod::Rotate, destination, src, piv, new_src, new_pivot};
}

} // namespace

Result<CNodePlan> decode_cnode_invocation(CoreContext& ctx, CNodeMethod method,
                                          const Invocation& inv, CNodeCap node)
{
    // Every method starts with the target's (index, depth), laid out as Revoke's.
    if (inv.length() < inv::CNodeRevoke::word_count)
        return SyscallError::truncated_message().because("CNode operation: truncated message");
    const auto target_args = inv.arguments<inv::CNodeRevoke>();
    auto target = lookup_target_slot(ctx, node.cap(), CPtr{target_args.index},
                                     Depth{target_args.depth});
    if (!target)
        return target.error().because("CNode operation: invalid target slot");
    Slot* destination = target.value();
    CNodePlan plan{method, destination, nullptr, nullptr, Cap{}, Cap{}};

    switch (method) {
    case CNodeMethod::Copy:
    case CNodeMethod::Mint:
    case CNodeMethod::Move:
    case CNodeMethod::Mutate:
        return decode_transfer(ctx, method, inv, destination);
    case CNodeMethod::Revoke:
    case CNodeMethod::Delete:
        return plan;
    case CNodeMethod::SaveCaller: {
        auto empty = ensure_empty_slot(*destination);
        if (!empty)
            return empty.error().because("CNode SaveCaller: destination not empty");
        return plan;
    }
    case CNodeMethod::CancelBadgedSends:
        if (!has_cancel_send_rights(destination->cap))
            return SyscallError::illegal_operation().because(
                "CNode CancelBadgedSends: target cap invalid");
        plan.new_cap = destination->cap;
        return plan;
    case CNodeMethod::Rotate:
        return decode_rotate(ctx, inv, destination);
    }
    return SyscallError::illegal_operation().because("CNode: not a CNode method");
}

Progress perform_cnode_invocation(CoreContext& ctx, const CNodePlan& plan, Slot* caller_slot)
{
    switch (plan.method) {
    case CNodeMethod::Copy:
    case CNodeMethod::Mint:
        insert_derived(plan.new_cap, *plan.source, *plan.destination);
        return Progress::Done;
    case CNodeMethod::Move:
    case CNodeMethod::Mutate:
        move_cap(plan.new_cap, *plan.source, *plan.destination);
        return Progress::Done;
    case CNodeMethod::Revoke:
        return revoke_cap(ctx, *plan.destination);
    case CNodeMethod::Delete:
        return delete_cap(ctx, *plan.destination);
    case CNodeMethod::Rotate:
        if (plan.source == plan.destination) {
            swap_caps(plan.new_cap, *plan.source, plan.pivot_cap, *plan.pivot);
        } else {
            move_cap(plan.pivot_cap, *plan.pivot, *plan.destination);
            move_cap(plan.new_cap, *plan.source, *plan.pivot);
        }
        return Progress::Done;
    case CNodeMethod::SaveCaller:
        // The caller's own Caller slot (ipc/cnode_ipc.cc); null saves nothing.
        if (caller_slot != nullptr && caller_slot->cap.type() == CapType::Reply &&
            !ReplyCap{caller_slot->cap}.is_master())
            move_cap(caller_slot->cap, *caller_slot, *plan.destination);
        return Progress::Done;
    case CNodeMethod::CancelBadgedSends:
        // Needs the endpoint's queue and the scheduler: ipc/cnode_ipc.cc performs it.
        return Progress::Done;
    }
    return Progress::Done;
}

Result<Progress> invoke_cnode(CoreContext& ctx, CNodeMethod method, const Invocation& inv,
                              CNodeCap node, Slot* caller_slot)
{
    auto plan = decode_cnode_invocation(ctx, method, inv, node);
    if (!plan)
        return plan.error();
    return perform_cnode_invocation(ctx, plan.value(), caller_slot);
}

} // namespace tessera::core
