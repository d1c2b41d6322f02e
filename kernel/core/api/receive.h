// seL4 handleRecv: the Recv and NBRecv system calls (and the receive half of ReplyRecv, api/syscall.h).
#pragma once

#include "cap/cap_kinds.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;

// seL4_Recv and seL4_NBRecv: receive on the endpoint or notification at `cptr`, waiting for a
// sender or not. A failed lookup, or a capability that cannot be received on, raises a
// capability fault (for NBRecv too, as on seL4).
void handle_recv(IpcContext& ipc, Tcb& thread, CPtr cptr);
void handle_nb_recv(IpcContext& ipc, Tcb& thread, CPtr cptr);

} // namespace tessera::core
