// Thread lifecycle shared by TCB invocations and object deletion: suspend, resume, and the
// finalisers the kernel's ObjectHooks call for TCBs, endpoints and notifications.
#pragma once

#include "cap/cap.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;

// seL4 suspend: cancels any IPC, stops the thread (Inactive) and takes it off the ready queue.
void suspend(IpcContext& ctx, Tcb& tcb);
// seL4 restart: a stopped thread (Inactive or BlockedOnReply) restarts at its fault IP.
void restart(IpcContext& ctx, Tcb& tcb);
// seL4 finaliseCap for the last capability to an IPC object: an endpoint cancels all its IPC,
// a notification unbinds and cancels its waiters, a TCB unbinds and is suspended. Other kinds
// are ignored. The kernel calls this from ObjectHooks::finalise when Finality::Final.
void finalise_ipc_object(IpcContext& ctx, Cap cap);

} // namespace tessera::core
