// The x86_64 table checks that check_arch_tables runs, each over an already gathered world; each
// records the first broken invariant it meets in `report` and returns at once.
#pragma once

#include "invariants/invariant_checks.h"

namespace tessera::core {

// Every ASID names the object of a live PML4 capability assigned that ASID, and every frame a
// live address space maps is recorded by a live frame capability.
void check_mappings(const CoreContext& ctx, InvariantWorkspace& workspace, const VSpaceView& view,
                    InvariantReport& report);
// An I/O port is issued exactly when a live I/O port capability covers it.
void check_ports(const CoreContext& ctx, InvariantWorkspace& workspace, const IssuedPorts& ports,
                 InvariantReport& report);

} // namespace tessera::core
