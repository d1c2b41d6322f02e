// seL4's Arch_finaliseCap: what deleting a capability of a kind only an architecture has
// (Cap::is_arch()) does. Declared here, defined once per architecture and chosen at link time
// (STYLE rule 9), as cap/arch_cap_rules.h is: x86_64's in kernel/arch/x86_64/core/cdt/.
#pragma once

#include "base/context.h"
#include "cap/cap.h"
#include "cdt/object_hooks.h"

namespace tessera::core {

// Runs the object hook when the kind's finalisation needs it and returns the capability that
// post_cap_deletion must see once the slot is empty, or a null one. No arch kind becomes a
// zombie: its deletion always finishes at once.
Cap arch_finalise_cap(CoreContext& ctx, Cap cap, Finality finality);

} // namespace tessera::core
