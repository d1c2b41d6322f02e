// The kernel invariant checker's entry point (issue 10): verifies the derivation tree, object
// overlap and thread queues of everything reachable, and reports the first broken invariant.
#pragma once

#include "invariants/invariant_report.h"
#include "invariants/invariant_world.h"
#include "invariants/vspace_view.h"

namespace tessera::core {

// Checks everything reachable from `roots` and `cpu`. `workspace` is scratch space (large: keep
// one in the data section, never on a kernel stack); the checker only reads kernel state. For
// debug builds and tests: it is linear in reachable slots except the overlap check, which is
// quadratic in capabilities.
// With `vspaces`, the address-space invariants are checked too (ASIDs and mapped frames).
InvariantReport check_invariants(const CoreContext& ctx, RootSlots roots, const CpuState& cpu,
                                 InvariantWorkspace& workspace,
                                 const VSpaceView* vspaces = nullptr);

} // namespace tessera::core
