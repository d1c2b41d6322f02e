// The kernel's single instances of the portable core's contexts: how objects are reached and
// finalised (CoreContext) and what IPC needs on top (IpcContext: registers, this CPU's
// scheduler, the fault reporter). One CPU for now; SMP makes the scheduler part per CPU.
#pragma once

#include "arch/x86_64/arch_thread.h"
#include "base/context.h"
#include "ipc/ipc_context.h"
#include "scheduler/scheduler.h"

namespace tessera::x86_64 {

// The instances themselves (boot/kernel_objects.cc), named only by the accessors below: inline,
// because every system call asks and the IPC fastpath cannot afford a call for it.
namespace kernel_instances {

// One line on the console for a fault that nobody handles (thread.cc words it).
class ConsoleFaultReporter final : public core::FaultReporter {
public:
    void report(core::Tcb& tcb, const char* line) override;
};

extern core::CoreContext context;
extern X86ArchThread arch_thread;
extern core::Scheduler scheduler;
extern ConsoleFaultReporter reporter;

// A constant, seen whole by every file: `ipc.scheduler` and `ipc.core` are then addresses the
// compiler knows, where a context defined in one file and only declared here had each of them
// loaded from memory again after every store (three to four loads a side of a fastpath IPC).
inline constexpr core::IpcContext ipc{context, arch_thread, scheduler, reporter};

} // namespace kernel_instances

inline core::CoreContext& core_context() { return kernel_instances::context; }
// Non-const for the callers, which take IpcContext&: its members are references, which nothing
// can rebind, so the object itself is never written.
inline core::IpcContext& ipc_context() { return const_cast<core::IpcContext&>(kernel_instances::ipc); }

} // namespace tessera::x86_64
