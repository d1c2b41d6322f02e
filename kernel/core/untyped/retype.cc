// The checks and their order follow seL4's decodeUntypedInvocation; each check's error code and
// detail is what a user of seL4_Untyped_Retype sees (manual, "Untyped_Retype").

#include "untyped/retype.h"

#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/object_sizes.h>
#include <tessera/abi/object_types.h>
#include <tessera/abi/svm.h>

#include "cap/cap_kinds.h"
#include "cdt/cdt.h"
#include "cdt/derive.h"
#include "cnode/lookup.h"
#include "cdt/object_hooks.h"
#include "untyped/create_object.h"
#include "untyped/object_size.h"

namespace tessera::core {

namespace {

Word align_up(Word value, Word bits)
{
    return (value + mask(bits)) & ~mask(bits);
}

} // namespace

Result<RetypePlan> decode_untyped_retype(CoreContext& ctx, const Invocation& inv,
                                         Slot& untyped_slot)
{
    using Method = abi::invocation::UntypedRetype;
    if (inv.length() < Method::word_count || inv.extra_cap(Method::root_cap) == nullptr)
        return SyscallError::truncated_message().because("Untyped Retype: truncated message");
    const auto args = inv.arguments<Method>();
    const Word type = args.type;
    const Word user_size = args.size_bits;
    const Word node_index = args.node_index;
    const Word node_depth = args.node_depth;
    const Word node_offset = args.node_offset;
    const Word node_window = args.num_objects;
    const Cap root = inv.extra_cap(Method::root_cap)->cap;

    if (type >= seL4_ObjectTypeCount && !(type == TESSERA_X86_SVMVCPUObject && ctx.hooks.has_svm()))
        return SyscallError::invalid_argument(0).because("Untyped Retype: invalid object type");
    Word object_bits = object_size_bits(type, user_size);
    // user_size is checked first so that object_size_bits cannot have wrapped around.
    if (user_size >= WordBits || object_bits > seL4_MaxUntypedBits)
        return SyscallError::range_error(0, seL4_MaxUntypedBits)
            .because("Untyped Retype: invalid object size");
    if (type == seL4_CapTableObject && user_size == 0)
        return SyscallError::invalid_argument(1).because("Untyped Retype: CNode radix 0");
    if (type == seL4_UntypedObject && user_size < seL4_MinUntypedBits)
        return SyscallError::invalid_argument(1).because("Untyped Retype: untyped too small");

    Cap node_cap = root;
    if (node_depth != 0) {
        auto slot = lookup_target_slot(ctx, root, CPtr{node_index}, Depth{node_depth});
        if (!slot)
            return slot.error().because("Untyped Retype: invalid destination address");
        node_cap = slot.value()->cap;
    }
    if (node_cap.type() != CapType::CNode)
        return SyscallError::failed_lookup(LookupSide::Destination,
                                           LookupFailure::missing_capability(node_depth))
            .because("Untyped Retype: destination is not a CNode");

    CNodeCap node{node_cap};
    Word node_size = bit(node.radix());
    if (node_offset > node_size - 1)
        return SyscallError::range_error(0, node_size - 1)
            .because("Untyped Retype: node offset too large");
    if (node_window < 1 || node_window > RetypeFanOutLimit)
        return SyscallError::range_error(1, RetypeFanOutLimit)
            .because("Untyped Retype: bad object count");
    if (node_window > node_size - node_offset)
        return SyscallError::range_error(1, node_size - node_offset)
            .because("Untyped Retype: window overruns node");

    Slot* destination = ctx.window.at<Slot>(node.slot_address(node_offset));
    for (Word i = 0; i < node_window; ++i) {
        auto empty = ensure_empty_slot(destination[i]);
        if (!empty)
            return empty.error().because("Untyped Retype: destination slot not empty");
    }

    // Without children the untyped starts again from its bottom; with children, new objects go
    // above the watermark so they cannot overlap live ones.
    UntypedCap cap{untyped_slot.cap};
    bool reset = ensure_no_children(untyped_slot).is_ok();
    Word free_index = reset ? 0 : cap.free_index();
    Word free_offset = free_index << seL4_MinUntypedBits;
    Word free_bytes = bit(cap.size_bits().raw()) - free_offset;
    // If n objects fit unaligned they also fit aligned: untyped blocks are size-aligned.
    if ((free_bytes >> object_bits) < node_window)
        return SyscallError::not_enough_memory(free_bytes)
            .because("Untyped Retype: insufficient memory");

    if (cap.device() == Device::Yes && !is_frame_type(type) && type != seL4_UntypedObject)
        return SyscallError::invalid_argument(1).because(
            "Untyped Retype: kernel object from device memory");

    PAddr base{align_up(cap.base().raw() + free_offset, object_bits)};
    return RetypePlan{&untyped_slot, reset,       base,        type,
                      user_size,     destination, node_window, cap.device()};
}

Progress reset_untyped(CoreContext& ctx, Slot& untyped_slot)
{
    UntypedCap cap{untyped_slot.cap};
    Word offset = cap.free_offset();
    if (offset == 0)
        return Progress::Done;
    unsigned block_bits = cap.size_bits().raw();

    if (cap.device() == Device::Yes || block_bits < ResetChunkBits) {
        if (cap.device() == Device::No)
            ctx.window.zero(cap.base(), bit(block_bits));
        untyped_slot.cap = cap.with_free_index(0).cap();
        return Progress::Done;
    }
    // Clear chunk by chunk from the highest used chunk down; the watermark records progress.
    for (Word chunk = (offset - 1) & ~mask(ResetChunkBits);; chunk -= bit(ResetChunkBits)) {
        ctx.window.zero(cap.base() + chunk, bit(ResetChunkBits));
        untyped_slot.cap = cap.with_free_index(chunk >> seL4_MinUntypedBits).cap();
        if (chunk == 0)
            return Progress::Done;
        if (ctx.preemption.is_pending())
            return Progress::Preempted;
    }
}

Progress perform_untyped_retype(CoreContext& ctx, const RetypePlan& plan)
{
    Slot& untyped_slot = *plan.untyped;
    if (plan.reset && reset_untyped(ctx, untyped_slot) == Progress::Preempted)
        return Progress::Preempted;

    UntypedCap cap{untyped_slot.cap};
    Word object_bits = object_size_bits(plan.type, plan.user_size);
    Word end = plan.base.raw() + (plan.count << object_bits);
    untyped_slot.cap = cap.with_free_index((end - cap.base().raw()) >> seL4_MinUntypedBits).cap();

    for (Word i = 0; i < plan.count; ++i) {
        PAddr object = plan.base + (i << object_bits);
        Cap new_cap = create_object(ctx, plan.type, object, plan.user_size, plan.device);
        insert_new_cap(untyped_slot, plan.destination[i], new_cap);
    }
    return Progress::Done;
}

Result<Progress> invoke_untyped_retype(CoreContext& ctx, const Invocation& inv, Slot& untyped)
{
    auto plan = decode_untyped_retype(ctx, inv, untyped);
    if (!plan)
        return plan.error();
    return perform_untyped_retype(ctx, plan.value());
}

} // namespace tessera::core
