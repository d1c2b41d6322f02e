// The groups of invariants, each over an already gathered world; each records the first
// broken invariant it meets in `report` and returns at once.
#pragma once

#include "invariants/arch_invariants.h"
#include "invariants/invariant_world.h"
#include "irq/irq_table.h"

namespace tessera::core {

// Derivation-tree links agree both ways, no list is a cycle, empty slots are unlinked, every
// object inside an untyped's range is derived from it, and free indices are in bounds and at or
// above the end of every child.
void check_derivation_tree(const CoreContext& ctx, const InvariantWorkspace& workspace,
                           InvariantReport& report);
// No two live objects overlap, except an untyped and what lies wholly inside it, or two
// capabilities to the same object.
void check_object_overlap(const CoreContext& ctx, const InvariantWorkspace& workspace,
                          InvariantReport& report);
// Every thread is on exactly the queue its state says, and queue links agree both ways.
void check_thread_queues(const CoreContext& ctx, const CpuState& cpu, InvariantWorkspace& workspace,
                         InvariantReport& report);
// The architecture's tables against the capabilities, each table when given (x86_64: every ASID
// names the object of a live PML4 capability assigned that ASID, every frame a live address
// space maps is recorded by a live frame capability, and an I/O port is issued exactly when a
// live I/O port capability covers it). Defined by the architecture, chosen at link time:
// kernel/arch/x86_64/core/invariants/.
void check_arch_tables(const CoreContext& ctx, InvariantWorkspace& workspace,
                       const ArchTables& tables, InvariantReport& report);
// An IRQ is issued exactly when a live IRQ handler capability names it.
void check_irqs(const CoreContext& ctx, InvariantWorkspace& workspace, const IrqTable& irqs,
                InvariantReport& report);

} // namespace tessera::core
