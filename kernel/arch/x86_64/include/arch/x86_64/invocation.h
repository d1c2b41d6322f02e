// The system calls that carry a message to a capability (seL4 handleInvocation and handleRecv):
// look the capability up in the caller's CSpace, then send, signal, reply, or decode and perform
// a kernel object's method, answering a Call with the result or seL4's error message.
#pragma once

#include "endpoint/endpoint.h"
#include "tcb/tcb.h"

namespace tessera::x86_64 {

// Send, NBSend and Call.
void handle_invocation(core::Tcb& thread, core::IsCall call, core::Blocking blocking);
// Recv, NBRecv, and the receive half of ReplyRecv.
void handle_recv(core::Tcb& thread, core::Blocking blocking);

// A Send or Call on an endpoint capability that allows sending, once it is found: also the
// flat Send path's (fastpath_entry.cc), which finds it with the one-compare lookup.
void send_to_endpoint(core::IpcContext& ipc, core::Tcb& thread, core::EndpointCap cap, core::IsCall call,
                      core::Blocking blocking);
} // namespace tessera::x86_64
