// The CNode invocations (seL4_CNode_Revoke ... SaveCaller): decode checks every argument, slot
// and right with no side effects; perform cannot fail (it may stop at a preemption point for
// Revoke and Delete, to be restarted from the top).
#pragma once

#include <tessera/abi/invocation_labels.h>

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap.h"
#include "cap/cap_kinds.h"
#include "cap/slot.h"

namespace tessera::core {

// The CNode methods in seL4's label order; the kernel maps an invocation label L to
// CNodeMethod(L - CNodeRevoke), which the asserts below pin to the generated labels.
enum class CNodeMethod {
    Revoke,
    Delete,
    CancelBadgedSends,
    Copy,
    Mint,
    Move,
    Mutate,
    Rotate,
    SaveCaller
};

constexpr CNodeMethod cnode_method_of(Word label)
{
    return CNodeMethod(label - CNodeRevoke);
}
constexpr bool is_cnode_label(Word label)
{
    return label >= CNodeRevoke && label <= CNodeSaveCaller;
}
static_assert(cnode_method_of(CNodeRevoke) == CNodeMethod::Revoke);
static_assert(cnode_method_of(CNodeDelete) == CNodeMethod::Delete);
static_assert(cnode_method_of(CNodeCancelBadgedSends) == CNodeMethod::CancelBadgedSends);
static_assert(cnode_method_of(CNodeCopy) == CNodeMethod::Copy);
static_assert(cnode_method_of(CNodeMint) == CNodeMethod::Mint);
static_assert(cnode_method_of(CNodeMove) == CNodeMethod::Move);
static_assert(cnode_method_of(CNodeMutate) == CNodeMethod::Mutate);
static_assert(cnode_method_of(CNodeRotate) == CNodeMethod::Rotate);
static_assert(cnode_method_of(CNodeSaveCaller) == CNodeMethod::SaveCaller);

struct CNodePlan {
    CNodeMethod method;
    Slot* destination; // the slot the (index, depth) arguments name
    Slot* source;      // Copy/Mint/Move/Mutate/Rotate
    Slot* pivot;       // Rotate
    Cap new_cap;       // the capability to write (source's new form for Rotate)
    Cap pivot_cap;     // Rotate: the pivot's new form
};

// `node` is the invoked CNode capability; `caller_slot` is the invoking thread's caller slot
// (only SaveCaller uses it; null when the kernel has no TCBs yet).
Result<CNodePlan> decode_cnode_invocation(CoreContext& ctx, CNodeMethod method,
                                          const Invocation& inv, CNodeCap node);
Progress perform_cnode_invocation(CoreContext& ctx, const CNodePlan& plan, Slot* caller_slot);
// decode, then perform.
Result<Progress> invoke_cnode(CoreContext& ctx, CNodeMethod method, const Invocation& inv,
                              CNodeCap node, Slot* caller_slot);

} // namespace tessera::core
