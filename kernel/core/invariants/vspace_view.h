// What the checker needs to see of the architecture's paging structures, which the portable core
// does not know: which address space an ASID names and which frames an address space maps. The
// kernel implements it over the real tables; host tests over a table of their own.
#pragma once

#include "base/types.h"

namespace tessera::core {

struct FrameMapping {
    VAddr vaddr;
    PAddr frame;
    SizeBits size_bits;
};

class MappingVisitor {
public:
    // Returns false to stop the walk.
    virtual bool visit(const FrameMapping& mapping) = 0;

protected:
    ~MappingVisitor() = default;
};

class VSpaceView {
public:
    // ASIDs run from 1 to asid_limit() - 1.
    virtual Word asid_limit() const = 0;
    // The top-level table `asid` names, or 0 when it names none.
    virtual PAddr root_of(Asid asid) const = 0;
    // Every frame mapped in the user half of the address space whose top-level table is `root`.
    virtual void for_each_frame(PAddr root, MappingVisitor& visitor) const = 0;

protected:
    ~VSpaceView() = default;
};

} // namespace tessera::core
