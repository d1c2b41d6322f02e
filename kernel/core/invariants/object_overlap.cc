// No two live objects overlap. Capabilities name the objects; two capabilities to the same
// object name the same region with the same kind, and an untyped may cover whole objects (and
// smaller untypeds) but never part of one.

#include "cap/cap_region.h"
#include "invariants/invariant_checks.h"

namespace tessera::core {

namespace {

bool is_same_object(Cap a, Cap b)
{
    return a.type() == b.type() && region_of(a) == region_of(b);
}

bool is_untyped_cover(Cap outer, Cap inner)
{
    return outer.type() == CapType::Untyped && region_of(outer).contains(region_of(inner));
}

} // namespace

void check_object_overlap(const CoreContext& ctx, const InvariantWorkspace& workspace,
                          InvariantReport& report)
{
    const size_t count = workspace.physical_count;
    for (size_t i = 0; i < count && report.holds(); ++i) {
        const Slot& a = *workspace.physical[i];
        Region ra = region_of(a.cap);
        for (size_t j = i + 1; j < count; ++j) {
            const Slot& b = *workspace.physical[j];
            Region rb = region_of(b.cap);
            if (!ra.overlaps(rb) || is_same_object(a.cap, b.cap) ||
                is_untyped_cover(a.cap, b.cap) || is_untyped_cover(b.cap, a.cap))
                continue;
            report.fail("objects overlap: slot %#lx (%s %#lx-%#lx) and slot %#lx (%s %#lx-%#lx)",
                        physical_of(ctx, &a), cap_type_name(a.cap.type()), ra.base.raw(), ra.last(),
                        physical_of(ctx, &b), cap_type_name(b.cap.type()), rb.base.raw(),
                        rb.last());
            return;
        }
    }
}

} // namespace tessera::core
