// The x86_64 kernel tables the invariant checker compares with the capabilities (ASIDs and the
// paging structures, issued I/O ports), and the scratch space those checks need. The portable
// checker names them only as ArchTables and ArchInvariantWorkspace, found through the arch folder
// the build puts on the core's include path (as tcb/user_register.h is).
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/types.h"
#include "invariants/vspace_view.h"
#include "ioport/issued_ports.h"

namespace tessera::core {

// Each table is checked when given.
struct ArchTables {
    const VSpaceView* vspaces = nullptr;
    const IssuedPorts* ports = nullptr;
};

struct ArchInvariantWorkspace {
    // Mapped frame capabilities by (ASID, address), for the mapping check: open addressing over
    // indices into InvariantWorkspace::physical (plus one; 0 is empty). Twice the workspace's
    // slots (checked in mapping_invariants.cc, where both are known).
    static constexpr size_t FrameTableSize = 2 * 16384;
    uint32_t frames_by_mapping[FrameTableSize];
    // I/O ports some live capability covers, one bit each, for the port check.
    Word covered_ports[(1u << 16) / WordBits];
};

} // namespace tessera::core
