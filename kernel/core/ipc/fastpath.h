// The IPC fastpath (seL4 fastpath_call and fastpath_reply_recv): the common case of Call and
// ReplyRecv, where the other thread is already waiting, no capability moves and the scheduler
// has nothing to decide, done in one pass. It covers every message length seL4 allows (0 to
// 120 words), not only the four register words. Whenever a condition fails it changes nothing
// and the slow path runs; both produce the same registers, buffers, states and capabilities.
#pragma once

#include "base/types.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;
struct PendingFault;

// seL4_Call on `cptr` with message info `info` by the current thread `caller`. True when done:
// the receiver is now the scheduler's current thread and the caller waits for the reply.
bool fastpath_call(IpcContext& ctx, Tcb& caller, CPtr cptr, Word info);
// seL4_ReplyRecv: replies to the thread in `thread`'s caller slot and waits on `cptr`. True when
// done: the replied-to thread is now current (after a fault reply: restarted at its fault IP).
bool fastpath_reply_recv(IpcContext& ctx, Tcb& thread, CPtr cptr, Word info);

// seL4 handleFault when a handler waits on the thread's fault endpoint: the fault is recorded,
// its message delivered and the thread waits for the reply as after a Call. True when done: the
// handler is now current. False, with nothing written: handle_fault, the reference, decides.
bool fastpath_fault(IpcContext& ctx, Tcb& thread, const PendingFault& fault);
// fastpath_fault for an unknown system call `number` (unknown_syscall_fault's fault), the shape
// the architecture's flat path takes: the message written in one pass
// (ArchThread::set_syscall_fault_message) and the record in place. False, with nothing written,
// also when the handler has no IPC buffer (handle_fault then sends the words it can).
bool fastpath_syscall_fault(IpcContext& ctx, Tcb& thread, Word number);

// seL4_Signal (a Send on a notification capability) by `thread`. True when done: the
// notification is signalled as send_signal does; the scheduler may have a switch to make.
bool fastpath_signal(IpcContext& ctx, Tcb& thread, CPtr cptr, Word info);
// seL4_Wait and seL4_Recv (a blocking Recv). True when done, as handle_recv does once it has
// found the capability: receive_signal on a notification, recv on an endpoint.
bool fastpath_wait(IpcContext& ctx, Tcb& thread, CPtr cptr);

} // namespace tessera::core
