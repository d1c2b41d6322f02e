// The loader's last act: it gives every capability it holds away or deletes it, then stops its
// own thread, so nothing of it can act again (seL4 Microkit's loader likewise disappears).
#pragma once

#include "executor.h"
#include "kernel_probe.h"

namespace tessera::loader {

struct RemovalSummary {
    uint32_t kept = 0;     // capabilities sealed away so the system's objects live on
    uint32_t deleted = 0;  // capabilities deleted (untyped memory, controls, boot frames, ...)
    uint32_t left = 0;     // capabilities still in the loader's CSpace: its TCB and CNode
    const char* failed = nullptr; // the first step the kernel refused, or null
};

// The executor has already moved each object's capability into its vault after the object's
// last use; this moves the rest: objects still in use at the end (and those no op used), the ASID
// pools the protection domains' address spaces use, and the frames and tables of the loader's own
// image (it is still running on them; a move keeps a mapping). Then it seals the vault, deletes
// every other capability of its CSpace (`root_slots` slots) but its TCB and CNode, and drops the
// vault. `boot_info` is read before its frame goes. Without debug calls (seL4's release build)
// there is no asking which slots are full: every slot is deleted, and `deleted` and `left` are 0.
RemovalSummary remove_loader(Executor& executor, vspace::VSpace& self, const seL4_BootInfo& boot_info,
                             seL4_Word root_slots, DebugCalls debug_calls);

// Deletes the loader's capability to its own CNode, the last one besides its TCB. As in seL4, the
// TCB's CSpace root holds a copy, so the CNode lives on while the thread does. False when the
// kernel refuses.
bool drop_own_cnode();

// Capabilities in the first `slots` slots of the loader's CSpace (seL4_DebugCapIdentify: only
// with debug calls present).
uint32_t count_capabilities(seL4_Word slots);

// The loader's last act when the system has a domain schedule: starts it at entry `index`
// (seL4_DomainSet_ScheduleSetStart) with the domain capability remove_loader kept, which stays
// with the loader's TCB. The loader, in domain 0, may not run again until domain 0's turn.
seL4_Error start_domain_schedule(uint32_t index);

// Suspends the calling thread (the loader's own TCB); returns only the kernel's refusal.
seL4_Error stop_loader_thread();

} // namespace tessera::loader
