// x86_64's half of finalisation (seL4's Arch_finaliseCap for x86): when the object hook runs for
// frames, paging structures, ASIDs, I/O ports and SVM VCPUs, and which of them leave cleanup.

#include "cdt/arch_finalise.h"

#include "cap/cap_arch_kinds.h"

namespace tessera::core {

Cap arch_finalise_cap(CoreContext& ctx, Cap cap, Finality finality)
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
