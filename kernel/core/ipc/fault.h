// Faults as messages (seL4 handleFault/sendFaultIPC, non-MCS): a faulting thread's fault is
// recorded, then sent to its fault endpoint as a Call; with no usable handler the thread stops
// and the kernel reports one line. Never stops the kernel.
#pragma once

#include "base/syscall_error.h"
#include "base/types.h"
#include "tcb/tcb.h"

namespace tessera::core {

struct IpcContext;

// Constructors for the four fault kinds (abi/faults.h).
PendingFault cap_fault(CPtr address, bool in_receive, const LookupFailure& failure);
PendingFault unknown_syscall_fault(Word syscall_number);
// unknown_syscall_fault's record written in place, every word of it: the fault fastpath records
// a thread's fault so, without a record built and then copied.
[[gnu::always_inline]] inline void record_unknown_syscall_fault(PendingFault& record, Word syscall_number)
{
    record.kind = FaultKind::UnknownSyscall;
    record.address = 0;
    record.in_receive = 0;
    record.detail[0] = syscall_number;
    record.detail[1] = record.detail[2] = record.detail[3] = 0;
    record.detail_words = 1;
}
PendingFault user_exception_fault(Word number, Word code);
PendingFault vm_fault(VAddr address, bool instruction_fetch, Word fault_status);

// What became of the faulting thread.
enum class FaultOutcome { SentToHandler, NoHandler };

// seL4 handleFault: records `fault` in `tcb` and sends it to the thread's fault endpoint
// (looked up in its own CSpace; must be an endpoint with Send and Grant or GrantReply). With no
// such endpoint the thread becomes Inactive and the reporter gets one line.
FaultOutcome handle_fault(IpcContext& ctx, Tcb& tcb, const PendingFault& fault);

} // namespace tessera::core
