// How two capabilities relate: same memory region, same object, parent and child in the
// derivation tree, last reference to an object. seL4's rules, one function each.
#pragma once

#include "cap/cap.h"
#include "cap/slot.h"

namespace tessera::core {

// `b` names memory or an object covered by `a` (seL4 sameRegionAs).
bool same_region_as(Cap a, Cap b);
// `a` and `b` name the same object, so deleting one is not final while the other lives.
bool same_object_as(Cap a, Cap b);
// Whether `derived`, made from `source`, is a revocable (parent-capable) capability.
bool is_cap_revocable(Cap derived, Cap source);
// `b` (which follows `a` in the list) is a descendant of `a`.
bool is_mdb_parent_of(const Slot& a, const Slot& b);
// The capability in `slot` is the last one to its object.
bool is_final_capability(const Slot& slot);

} // namespace tessera::core
