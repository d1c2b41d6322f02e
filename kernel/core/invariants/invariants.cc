// Runs the invariant groups in order: the tree first, because the overlap and queue checks
// trust what the gathered capabilities say.

#include "invariants/invariants.h"

#include "invariants/invariant_checks.h"

namespace tessera::core {

InvariantReport check_invariants(const CoreContext& ctx, RootSlots roots, const CpuState& cpu,
                                 InvariantWorkspace& workspace, const KernelTables& tables)
{
    InvariantReport report;
    gather_invariant_world(ctx, roots, cpu, workspace, report);
    if (report.holds())
        check_derivation_tree(ctx, workspace, report);
    if (report.holds())
        check_object_overlap(ctx, workspace, report);
    if (report.holds())
        check_thread_queues(ctx, cpu, workspace, report);
    if (report.holds() && tables.arch != nullptr)
        check_arch_tables(ctx, workspace, *tables.arch, report);
    if (report.holds() && tables.irqs != nullptr)
        check_irqs(ctx, workspace, *tables.irqs, report);
    return report;
}

} // namespace tessera::core
