// Deleting and revoking capabilities, with finalisation of the last capability to an object.
// Long-running: they stop at preemption points and are restarted from the top by the caller;
// all progress is kept in the slots (zombies, shrinking lists), never on the stack.
#pragma once

#include "base/context.h"
#include "cap/slot.h"

namespace tessera::core {

// seL4 cteDelete(slot, true): empties `slot`, finalising the object if this was its last
// capability (CNodes and TCBs become zombies whose slots are cleared one by one).
Progress delete_cap(CoreContext& ctx, Slot& slot);
// seL4 cteRevoke: deletes every descendant of `slot` in the derivation tree; `slot` stays.
Progress revoke_cap(CoreContext& ctx, Slot& slot);
// seL4 cteDeleteOne: deletes a capability whose finalisation is known to be immediate
// (endpoint, notification, reply, frame... never a CNode or TCB). Cannot be preempted.
void delete_one(CoreContext& ctx, Slot& slot);

} // namespace tessera::core
