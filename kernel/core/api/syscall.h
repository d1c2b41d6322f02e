// seL4 handleSyscall's eight API system calls (Call, ReplyRecv, Send, NBSend, Recv, Reply, Yield,
// NBRecv), one entry point each. The architecture's own switch over the system call number calls
// them directly with the registers it read, so a number is decided once (the core used to switch
// over it a second time); the rest (debug and benchmark calls, the architecture's own calls, an
// unknown number's fault) never come here. Each returns with the scheduler's choice made; the
// architecture then returns to whichever thread it chose.
#pragma once

#include "api/invocation.h"
#include "api/receive.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;

// seL4_Reply: answers the thread's caller, if it has one (seL4 handleReply).
void handle_reply(IpcContext& ipc, Tcb& thread);
// seL4_ReplyRecv: the reply, then a blocking receive on `cptr`.
void handle_reply_recv(IpcContext& ipc, Tcb& thread, CPtr cptr);
// seL4_Yield: the current thread goes to the back of its priority's queue.
void handle_yield(IpcContext& ipc);

} // namespace tessera::core
