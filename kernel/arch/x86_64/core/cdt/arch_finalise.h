// x86_64's half of finalisation (seL4's Arch_finaliseCap for x86): when the object hook runs for
// frames, paging structures, ASIDs, I/O ports and SVM VCPUs, and which of them leave cleanup.
// cdt/delete.cc finds this header through the arch folder the build puts on the core's include
// path, as it finds tcb/user_register.h (decision 39): chosen at build time, and inline, because
// every process teardown deletes hundreds of frame and table capabilities and an out-of-line call
// per capability showed in make bench's fork figures.
#pragma once

#include "base/context.h"
#include "cap/cap_arch_kinds.h"
#include "cdt/object_hooks.h"

namespace tessera::core {

// Runs the object hook when the kind's finalisation needs it and returns the capability that
// post_cap_deletion must see once the slot is empty, or a null one. Called only with an arch
// kind (Cap::is_arch()); none becomes a zombie: its deletion always finishes at once.
inline Cap arch_finalise_cap(CoreContext& ctx, Cap cap, Finality finality)
{
    bool final = finality == Finality::Final;
    switch (cap.type()) {
    case CapType::IoPort:
        // Every I/O port capability releases its range, so the hook runs for each; the last one
        // also leaves cleanup (seL4 postCapDeletion for x86 I/O ports).
        ctx.hooks.finalise(cap, finality);
        return final ? cap : Cap{};
    case CapType::Frame:
        // Every frame capability carries its own mapping, so even a non-final one unmaps.
        if (FrameCap{cap}.is_mapped())
            ctx.hooks.finalise(cap, finality);
        return Cap{};
    default:
        // Paging structures, ASID pools, SVM VCPUs: only the last one matters.
        if (final)
            ctx.hooks.finalise(cap, finality);
        return Cap{};
    }
}

} // namespace tessera::core
