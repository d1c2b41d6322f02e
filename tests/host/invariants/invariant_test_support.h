// Shared by the checker's tests: running the checker over a world's root CNode and writing the
// expected report lines (addresses as the checker prints them: %#lx, so 0 has no prefix).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cap/cap_kinds.h"
#include "invariants/invariants.h"

namespace tessera::core::test {

inline std::string hex(Word value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%#lx", static_cast<unsigned long>(value));
    return text;
}

// Every slot of a CNode: the roots the kernel will hand the checker.
inline std::vector<Slot*> slots_of(const CoreContext& ctx, CNodeCap cnode)
{
    std::vector<Slot*> slots;
    for (Word i = 0; i < (Word{1} << cnode.radix()); ++i)
        slots.push_back(ctx.window.at<Slot>(cnode.slot_address(i)));
    return slots;
}

// The checker starting from every slot of `root` and from `cpu`.
class Checker {
public:
    InvariantReport run(const CoreContext& ctx, CNodeCap root, const CpuState& cpu)
    {
        std::vector<Slot*> slots = slots_of(ctx, root);
        return check_invariants(ctx, RootSlots{slots.data(), slots.size()}, cpu, *workspace_);
    }

private:
    std::unique_ptr<InvariantWorkspace> workspace_ = std::make_unique<InvariantWorkspace>();
};

} // namespace tessera::core::test
