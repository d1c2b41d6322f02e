// x86_64's tables against the capabilities: address spaces, then I/O ports; the portable checker
// runs these before its IRQ check, so a report names the first broken table in that order.

#include "invariants/x86_invariant_checks.h"

namespace tessera::core {

void check_arch_tables(const CoreContext& ctx, InvariantWorkspace& workspace,
                       const ArchTables& tables, InvariantReport& report)
{
    if (report.holds() && tables.vspaces != nullptr)
        check_mappings(ctx, workspace, *tables.vspaces, report);
    if (report.holds() && tables.ports != nullptr)
        check_ports(ctx, workspace, *tables.ports, report);
}

} // namespace tessera::core
