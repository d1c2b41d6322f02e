// seL4 src/kernel/faulthandler.c semantics: a fault is an IPC Call on the fault endpoint.

#include "ipc/fault.h"

#include "cap/cap_kinds.h"
#include "cnode/lookup.h"
#include "endpoint/endpoint.h"
#include "ipc/ipc_context.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb.h"

namespace tessera::core {

PendingFault cap_fault(CPtr address, bool in_receive, const LookupFailure& failure)
{
    PendingFault f;
    f.kind = FaultKind::CapFault;
    f.address = raw(address);
    f.in_receive = in_receive ? 1 : 0;
    f.detail_words = failure.write(f.detail);
    return f;
}

PendingFault unknown_syscall_fault(Word syscall_number)
{
    PendingFault f;
    record_unknown_syscall_fault(f, syscall_number);
    return f;
}

PendingFault user_exception_fault(Word number, Word code)
{
    PendingFault f;
    f.kind = FaultKind::UserException;
    f.detail[0] = number;
    f.detail[1] = code;
    f.detail_words = 2;
    return f;
}

PendingFault vm_fault(VAddr address, bool instruction_fetch, Word fault_status)
{
    PendingFault f;
    f.kind = FaultKind::VmFault;
    f.address = address.raw();
    f.detail[0] = instruction_fetch ? 1 : 0;
    f.detail[1] = fault_status;
    f.detail_words = 2;
    return f;
}

namespace {
const char* describe(FaultKind kind)
{
    switch (kind) {
    case FaultKind::CapFault:
        return "capability fault with no fault handler; thread stopped";
    case FaultKind::UnknownSyscall:
        return "unknown system call with no fault handler; thread stopped";
    case FaultKind::UserException:
        return "user exception with no fault handler; thread stopped";
    case FaultKind::VmFault:
        return "VM fault with no fault handler; thread stopped";
    case FaultKind::None:
        break;
    }
    return "fault with no fault handler; thread stopped";
}
} // namespace

FaultOutcome handle_fault(IpcContext& ctx, Tcb& tcb, const PendingFault& fault)
{
    tcb.thread.fault = fault;
    auto handler = lookup_cap(ctx.core, tcb.slot(TcbSlot::CSpace).cap, tcb.thread.fault_endpoint);
    if (handler && EndpointCap::is(handler.value())) {
        EndpointCap ep{handler.value()};
        if (ep.can_send() && (ep.can_grant() || ep.can_grant_reply())) {
            send_ipc(ctx, tcb, ep, Blocking::Yes, IsCall::Yes);
            return FaultOutcome::SentToHandler;
        }
    }
    // seL4 handleDoubleFault: the thread stops; the kernel goes on.
    ctx.scheduler.set_thread_state(tcb, ThreadState::Inactive);
    ctx.reporter.report(tcb, describe(fault.kind));
    return FaultOutcome::NoHandler;
}

} // namespace tessera::core
