// What the checker looks at: every slot, thread, endpoint and notification reachable from the
// root slots and the CPU state, gathered once into fixed-size sets (the kernel keeps one
// workspace in its data section; tests allocate one), plus where each thread was found queued.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/context.h"
#include "cap/slot.h"
#include "endpoint/endpoint.h"
#include "invariants/arch_invariants.h"
#include "invariants/invariant_report.h"
#include "invariants/pointer_set.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb.h"

namespace tessera::core {

// The slots the walk starts from: the root CNode's slots, TCB slots, boot-time capabilities.
struct RootSlots {
    Slot* const* slots;
    size_t count;
};

// Where the queue walks found one thread.
struct ThreadSightings {
    unsigned ready_queues = 0;   // times seen on a ready queue
    unsigned ready_priority = 0; // the level it was last seen on
    unsigned ready_domain = 0;   // the domain whose queues it was last seen on
    unsigned wait_queues = 0;    // times seen on an endpoint or notification queue
    const void* waits_on = nullptr;
};

struct InvariantWorkspace {
    static constexpr size_t MaxSlots = 16384;
    static constexpr size_t MaxThreads = 1024;
    static constexpr size_t MaxQueueObjects = 4096;

    PointerSet<Slot, MaxSlots> slots;
    PointerSet<Tcb, MaxThreads> threads;
    PointerSet<Endpoint, MaxQueueObjects> endpoints;
    PointerSet<Notification, MaxQueueObjects> notifications;
    ThreadSightings sightings[MaxThreads];
    // The gathered slots whose capability names memory, in gathering order: the pairwise
    // checks (overlap, untyped contents) loop over these only, not over every empty slot.
    const Slot* physical[MaxSlots];
    size_t physical_count = 0;
    // The architecture's checks' scratch space (invariants/arch_invariants.h).
    ArchInvariantWorkspace arch;

    void clear();
    ThreadSightings& sightings_of(const Tcb& tcb) { return sightings[threads.index_of(&tcb)]; }
};

// Fills `workspace` with everything reachable: slots through derivation links, CNode and TCB
// capabilities; threads through TCB and reply capabilities, the CPU state and object queues;
// endpoints and notifications through capabilities and the threads blocked on them. Reports a
// line (and stops) only when a limit of the workspace is reached.
void gather_invariant_world(const CoreContext& ctx, RootSlots roots, const CpuState& cpu,
                            InvariantWorkspace& workspace, InvariantReport& report);

// The physical address of a kernel object, for reports.
inline Word physical_of(const CoreContext& ctx, const void* object)
{
    return ctx.window.physical(object).raw();
}

} // namespace tessera::core
