// seL4 suspend/restart (src/kernel/thread.c, src/object/tcb.c) and IPC object finalisation
// (src/object/objecttype.c finaliseCap).

#include "tcb/thread_control.h"

#include "cap/cap_kinds.h"
#include "endpoint/endpoint.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb.h"

namespace tessera::core {

void suspend(IpcContext& ctx, Tcb& tcb)
{
    cancel_ipc(ctx, tcb);
    ctx.scheduler.set_thread_state(tcb, ThreadState::Inactive);
    ctx.scheduler.remove(tcb);
}

void restart(IpcContext& ctx, Tcb& tcb)
{
    // seL4 isStopped: inactive, or blocked in any IPC. Resume and WriteRegisters with resume
    // restart such a thread from its fault IP; a running, restarting or idle one is left alone.
    if (tcb.state() != ThreadState::Inactive && !tcb.is_blocked())
        return;
    cancel_ipc(ctx, tcb);
    setup_reply_master(ctx, tcb);
    ctx.scheduler.set_thread_state(tcb, ThreadState::Restart);
    ctx.scheduler.enqueue(tcb);
    ctx.scheduler.possible_switch_to(tcb);
}

void finalise_ipc_object(IpcContext& ctx, Cap cap)
{
    switch (cap.type()) {
    case CapType::Endpoint:
        cancel_all_ipc(ctx, *ctx.core.window.at<Endpoint>(EndpointCap{cap}.object()));
        break;
    case CapType::Notification: {
        Notification& ntfn = *ctx.core.window.at<Notification>(NotificationCap{cap}.object());
        if (Tcb* bound = ntfn.bound_tcb())
            unbind_notification(*bound);
        cancel_all_signals(ctx, ntfn);
        break;
    }
    case CapType::Tcb: {
        Tcb& tcb = *ctx.core.window.at<Tcb>(TcbCap{cap}.object());
        unbind_notification(tcb);
        suspend(ctx, tcb);
        break;
    }
    default:
        break;
    }
}

} // namespace tessera::core
