// seL4's per-architecture capability rules (its Arch_sameRegionAs, Arch_deriveCap,
// Arch_maskCapRights, ... in arch/*/object/objecttype.c): what the portable rules in cap/ and cdt/
// ask about a capability whose kind only an architecture has (Cap::is_arch()). Declared here,
// defined once per architecture and chosen at link time (STYLE rule 9): x86_64's in
// kernel/arch/x86_64/core/cap/arch_cap_rules.cc. Each is called only with an arch kind as `cap`/`a`.
#pragma once

#include "base/result.h"
#include "cap/cap.h"
#include "cap/cap_region.h"
#include "cap/rights.h"

namespace tessera::core {

// is_physical and region_of for an arch kind.
bool arch_is_physical(Cap cap);
Region arch_region_of(Cap cap);
// same_region_as and same_object_as when both capabilities are arch kinds.
bool arch_same_region_as(Cap a, Cap b);
bool arch_same_object_as(Cap a, Cap b);
// is_cap_revocable for an arch kind derived from `source`.
bool arch_is_cap_revocable(Cap derived, Cap source);
// derive_cap and mask_cap_rights for an arch kind.
Result<Cap> arch_derive_cap(Cap cap);
Cap arch_mask_cap_rights(CapRights rights, Cap cap);

} // namespace tessera::core
