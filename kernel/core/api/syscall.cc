#include "api/syscall.h"

#include <tessera/abi/syscalls.h>

#include "api/invocation.h"
#include "api/receive.h"
#include "ipc/ipc_context.h"
#include "scheduler/scheduler.h"

namespace tessera::core {

SyscallHandled handle_api_syscall(IpcContext& ipc, Tcb& thread, const SyscallArgs& args)
{
    switch (args.number) {
    case seL4_SysCall: // on x86_64 after the flat fastpath declined
        handle_invocation(ipc, thread, args.cptr, args.info, IsCall::Yes, Blocking::Yes);
        break;
    case seL4_SysSend:
        handle_invocation(ipc, thread, args.cptr, args.info, IsCall::No, Blocking::Yes);
        break;
    case seL4_SysNBSend:
        handle_invocation(ipc, thread, args.cptr, args.info, IsCall::No, Blocking::No);
        break;
    case seL4_SysRecv:
        handle_recv(ipc, thread, args.cptr, Blocking::Yes);
        break;
    case seL4_SysNBRecv:
        handle_recv(ipc, thread, args.cptr, Blocking::No);
        break;
    case seL4_SysReply:
        reply(ipc, thread);
        break;
    case seL4_SysReplyRecv: // on x86_64 after the flat fastpath declined
        reply(ipc, thread);
        handle_recv(ipc, thread, args.cptr, Blocking::Yes);
        break;
    case seL4_SysYield:
        ipc.scheduler.yield();
        break;
    default:
        return SyscallHandled::No;
    }
    return SyscallHandled::Yes;
}

} // namespace tessera::core
