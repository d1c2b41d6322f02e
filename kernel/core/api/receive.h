// seL4 handleRecv: Recv, NBRecv and the receive half of ReplyRecv.
#pragma once

#include "cap/cap_kinds.h"
#include "endpoint/endpoint.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;

// Receives on the endpoint or notification at `cptr`. A failed lookup, or a capability that
// cannot be received on, raises a capability fault (for NBRecv too, as on seL4).
void handle_recv(IpcContext& ipc, Tcb& thread, CPtr cptr, Blocking blocking);

} // namespace tessera::core
