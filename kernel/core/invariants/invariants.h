// The kernel invariant checker's entry point (issue 10): verifies the derivation tree, object
// overlap and thread queues of everything reachable, and reports the first broken invariant.
#pragma once

#include "invariants/invariant_report.h"
#include "invariants/arch_invariants.h"
#include "invariants/invariant_world.h"
#include "irq/irq_table.h"

namespace tessera::core {

// Checks everything reachable from `roots` and `cpu`. `workspace` is scratch space (large: keep
// one in the data section, never on a kernel stack); the checker only reads kernel state. For
// debug builds and tests: it is linear in reachable slots except the overlap check, which is
// quadratic in capabilities.
// The kernel's own tables beyond the capabilities, each checked when given: IRQ states, and the
// architecture's (x86_64: ASIDs and paging structures, issued I/O ports). These checks assume
// every capability is reachable from the roots (true for the root task), since they look for a
// capability per table entry.
struct KernelTables {
    const IrqTable* irqs = nullptr;
    const ArchTables* arch = nullptr;
};
InvariantReport check_invariants(const CoreContext& ctx, RootSlots roots, const CpuState& cpu,
                                 InvariantWorkspace& workspace, const KernelTables& tables = {});

} // namespace tessera::core
