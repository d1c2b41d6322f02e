#include "api/syscall.h"

#include "endpoint/endpoint.h"
#include "ipc/ipc_context.h"
#include "scheduler/scheduler.h"

namespace tessera::core {

void handle_reply(IpcContext& ipc, Tcb& thread) { reply(ipc, thread); }

void handle_reply_recv(IpcContext& ipc, Tcb& thread, CPtr cptr) // on x86_64 after the flat fastpath declined
{
    reply(ipc, thread);
    handle_recv(ipc, thread, cptr);
}

void handle_yield(IpcContext& ipc) { ipc.scheduler.yield(); }

} // namespace tessera::core
