// Making a new capability from an existing one: rights masking, badge/guard updates and the
// derivation rules (what may be copied at all). Pure functions of the capability and its slot.
#pragma once

#include "base/result.h"
#include "cap/cap.h"
#include "cap/rights.h"
#include "cap/slot.h"

namespace tessera::core {

// Whether updating capability data keeps the badge (Mutate, Rotate) or may set one (Mint).
enum class UpdateMode { Preserve, SetBadge };

// seL4 maskCapRights: the capability with its rights reduced to `rights`.
Cap mask_cap_rights(CapRights rights, Cap cap);
// seL4 updateCapData: sets a badge (unbadged endpoint/notification, SetBadge only) or a CNode
// guard from `data`. Returns a null capability when the update is not allowed.
Cap update_cap_data(UpdateMode mode, Word data, Cap cap);
// seL4 deriveCap: the capability a copy of `cap` (held in `slot`) may become. A null result
// means "cannot be copied"; an untyped with children or an unmapped table is an error.
Result<Cap> derive_cap(const Slot& slot, Cap cap);

// seL4 ensureNoChildren: RevokeFirst when `slot` has a child in the derivation tree.
Result<void> ensure_no_children(const Slot& slot);
// seL4 ensureEmptySlot: DeleteFirst when `slot` holds a capability.
Result<void> ensure_empty_slot(const Slot& slot);

} // namespace tessera::core
