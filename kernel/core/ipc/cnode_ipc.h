// The two CNode methods that reach into threads (seL4 invokeCNodeSaveCaller and
// invokeCNodeCancelBadgedSends): the rest of a CNode invocation is plain capability work.
#pragma once

#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap_kinds.h"
#include "cnode/cnode_invocation.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;

// Any CNode invocation by `caller`: SaveCaller moves the caller's reply capability, and
// CancelBadgedSends restarts the senders queued with the named endpoint capability's badge.
Result<Progress> invoke_cnode_for_thread(IpcContext& ctx, CNodeMethod method, const Invocation& inv,
                                         CNodeCap node, Tcb& caller);

} // namespace tessera::core
