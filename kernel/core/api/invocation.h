// seL4 handleInvocation: Call, Send and NBSend. The capability and the message's extra
// capabilities are looked up in the caller's CSpace; then an endpoint is sent to, a notification
// signalled, a reply capability replied through, or a kernel object's method decoded and
// performed, and a Call answered with the result or seL4's error message.
#pragma once

#include "base/message_info.h"
#include "cap/cap_kinds.h"
#include "endpoint/endpoint.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;

// seL4_Call, seL4_Send and seL4_NBSend. `cptr` and `info` are what the caller passed (x86_64:
// rdi and rsi). A failed lookup raises a capability fault when the call blocks (Call, Send) and
// does nothing otherwise (NBSend).
void handle_call(IpcContext& ipc, Tcb& thread, CPtr cptr, MessageInfo info);
void handle_send(IpcContext& ipc, Tcb& thread, CPtr cptr, MessageInfo info);
void handle_nb_send(IpcContext& ipc, Tcb& thread, CPtr cptr, MessageInfo info);

// A Send or Call on an endpoint capability that allows sending, once it is found: also the
// flat Send path's, which finds it with the one-compare lookup.
void send_to_endpoint(IpcContext& ipc, Tcb& thread, EndpointCap cap, IsCall call, Blocking blocking);

} // namespace tessera::core
