// x86_64 address spaces as seL4 objects (seL4 Reference Manual, "x86-Specific Objects"): the ASID
// table and pools that name PML4s, the paging-structure and frame invocations, and what deleting
// their capabilities undoes.
#pragma once

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap.h"
#include "cap/slot.h"

namespace tessera::x86_64 {

// seL4 x86_64: 2^3 pools of 2^9 ASIDs; ASID 0 is never valid.
inline constexpr unsigned AsidHighBits = 3, AsidLowBits = 9;

// The PML4 (physical address) assigned `asid`, or 0.
uint64_t pml4_for_asid(core::Asid asid);
// Boot: registers the initial ASID pool as pool 0 and the root task's PML4 as ASID 1.
void register_initial_asid_pool(uint64_t pool, core::Asid asid, uint64_t pml4);

// Decodes and performs an invocation on a frame, paging-structure, ASID-control or ASID-pool
// capability in `slot`. `reply` receives the reply words (Page_GetAddress) and `reply_length`
// their count.
core::Result<core::Progress> invoke_vspace_object(core::CoreContext& ctx, core::Word label, const core::Invocation& inv,
                                                   core::Slot& slot, core::Word* reply, core::Word& reply_length);

// What deleting a capability of these kinds undoes (ObjectHooks::finalise).
void finalise_vspace_cap(core::Cap cap, bool final);
// Counts the changes that can make a thread's VSpace resolve to another PML4: a TCB's VSpace
// slot written (ArchThread::vspace_changed), any PML4 capability deleted (a TCB's VSpace slot
// emptied by a revocation is one), any ASID pool deleted and any ASID assigned. A thread's PML4 resolved before
// is still its PML4 while this is unchanged. Inline: every thread switch asks.
inline uint64_t vspace_epoch()
{
    extern uint64_t vspace_changes;
    return vspace_changes;
}
// Advances vspace_epoch(): every thread resolves its PML4 again on its next switch.
inline void vspace_changed()
{
    extern uint64_t vspace_changes;
    vspace_changes++;
}
// A new PML4 shares the kernel's half of the address space (ObjectHooks::created).
void initialise_vspace_object(core::CoreContext& ctx, core::Cap cap);

} // namespace tessera::x86_64
