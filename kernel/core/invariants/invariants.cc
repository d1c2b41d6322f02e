// Runs the invariant groups in order: the tree first, because the overlap and queue checks
// trust what the gathered capabilities say.

#include "invariants/invariants.h"

#include "invariants/invariant_checks.h"

namespace tessera::core {

InvariantReport check_invariants(const CoreContext& ctx, RootSlots roots, const CpuState& cpu,
                                 InvariantWorkspace& workspace, const VSpaceView* vspaces)
{
    InvariantReport report;
    gather_invariant_world(ctx, roots, cpu, workspace, report);
    if (report.holds())
        check_derivation_tree(ctx, workspace, report);
    if (report.holds())
        check_object_overlap(ctx, workspace, report);
    if (report.holds())
        check_thread_queues(ctx, cpu, workspace, report);
    if (report.holds() && vspaces != nullptr)
        check_mappings(ctx, workspace, *vspaces, report);
    return report;
}

} // namespace tessera::core
