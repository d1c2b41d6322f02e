// The link-time architecture hook of core/api/arch_object.h for host tests.
#include "arch_object_stub.h"

#include "api/arch_object.h"
#include "debug/rejection_log.h"
#include "cap/slot.h"
#include "ipc/ipc_context.h"
#include "scheduler/scheduler.h"

namespace tessera::core {

namespace test {
std::vector<ArchObjectCall>& arch_object_calls()
{
    static std::vector<ArchObjectCall> calls;
    return calls;
}
std::vector<ReportedRejection>& reported_rejections()
{
    static std::vector<ReportedRejection> rejections;
    return rejections;
}
} // namespace test

// The kernel variants define this (debug: a console line; release: nothing); the tests record it.
void report_rejection(const char* thread, Word label, const SyscallError& error)
{
    test::reported_rejections().push_back({thread, label, error.code(), error.reason()});
}

Result<Progress> invoke_arch_object(IpcContext& ipc, Word label, const Invocation& inv, Slot& slot, Tcb& caller,
                                    KernelReply& reply)
{
    if (slot.cap.type() != CapType::IrqControl)
        return SyscallError::illegal_operation().because("not an invocable object");
    size_t extra = 0;
    while (inv.extra_cap(extra) != nullptr)
        extra++;
    test::arch_object_calls().push_back({label, inv.length(), extra, &caller});
    switch (label) {
    case test::EchoLabel:
        reply.words[0] = label;
        reply.words[1] = inv.length();
        reply.words[2] = extra;
        reply.length = 3;
        for (size_t i = 0; i < inv.length() && reply.length < seL4_MsgMaxLength; i++)
            reply.words[reply.length++] = inv.mr(i);
        return Progress::Done;
    case test::PreemptLabel:
        return Progress::Preempted;
    case test::RangeErrorLabel:
        return SyscallError::range_error(3, 9).because("stand-in: out of range");
    case test::StopCallerLabel:
        ipc.scheduler.set_thread_state(caller, ThreadState::Inactive);
        return Progress::Done;
    default:
        return SyscallError::illegal_operation().because("stand-in: unknown method");
    }
}

} // namespace tessera::core
