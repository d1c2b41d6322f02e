// Untyped_Retype: decode checks every argument first (no side effects), perform cannot fail but
// may stop at a preemption point while resetting the untyped (restart the invocation).
#pragma once

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap_kinds.h"
#include "cap/slot.h"

namespace tessera::core {

// CONFIG_RETYPE_FAN_OUT_LIMIT and CONFIG_RESET_CHUNK_BITS, seL4's defaults.
inline constexpr Word RetypeFanOutLimit = 256;
inline constexpr unsigned ResetChunkBits = 8;

struct RetypePlan {
    Slot* untyped; // the invoked untyped capability's slot
    bool reset;    // no children: start from the bottom after clearing used memory
    PAddr base;    // first object, aligned to its size
    Word type;
    Word user_size;
    Slot* destination; // first destination slot
    Word count;
    Device device;
};

// Checks seL4_Untyped_Retype(type, size_bits, root, node_index, node_depth, node_offset,
// num_objects): message words 0..5 and extra capability 0 (the root CNode).
Result<RetypePlan> decode_untyped_retype(CoreContext& ctx, const Invocation& inv, Slot& untyped);
// Creates the objects and their capabilities as children of the untyped.
Progress perform_untyped_retype(CoreContext& ctx, const RetypePlan& plan);
// decode, then perform.
Result<Progress> invoke_untyped_retype(CoreContext& ctx, const Invocation& inv, Slot& untyped);

// seL4 resetUntypedCap: clears the used part of a childless untyped from the top down in
// chunks, lowering the watermark as it goes, so a preempted reset resumes where it stopped.
Progress reset_untyped(CoreContext& ctx, Slot& untyped);

} // namespace tessera::core
