#include "arch/x86_64/kernel_objects.h"

#include "arch/x86_64/arch_thread.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/svm.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/vspace.h"
#include "cap/cap_kinds.h"
#include "cdt/object_hooks.h"
#include "scheduler/scheduler.h"
#include "tcb/thread_control.h"

namespace tessera::x86_64 {

namespace {

// What deleting a capability does to its object (seL4 finaliseCap) and what a new object needs.
class KernelHooks final : public core::ObjectHooks {
public:
    void finalise(core::Cap cap, core::Finality finality) override
    {
        const bool final = finality == core::Finality::Final;
        if (final && core::TcbCap::is(cap))
            release_fpu(*core_context().window.at<core::Tcb>(core::TcbCap{cap}.object()));
        if (final)
            core::finalise_ipc_object(ipc_context(), cap);
        if (final)
            finalise_svm_binding(core_context(), cap); // issue 24: a VCPU and its TCB let go of each other
        finalise_vspace_cap(cap, final);
        finalise_device_cap(cap, finality); // issue 6: an IRQ handler drops its notification
    }
    void created(core::Cap cap) override
    {
        if (core::TcbCap::is(cap))
            init_arch_tcb(*core_context().window.at<core::Tcb>(core::TcbCap{cap}.object()));
        initialise_vspace_object(core_context(), cap);
        initialise_svm_vcpu(core_context(), cap);
    }
    bool has_svm() const override { return svm_enabled(); }
    void post_cap_deletion(core::Cap cleanup) override { release_device_cap(cleanup); } // IRQs, port ranges
};

// The kernel runs with interrupts off; long operations ask here whether one is waiting.
class TimerPreemption final : public core::Preemption {
public:
    // A pending timer or device interrupt stops a long delete or revoke at its next
    // preemption point; the caller stays in Restart, takes the interrupt in user mode and
    // re-issues the system call (seL4's preemptionPoint).
    bool is_pending() override { return lapic_interrupt_pending(); }
};

KernelHooks hooks;
TimerPreemption preemption;
// The idle thread: never in a queue, never in user mode; its TCB lives in the kernel image.
alignas(1 << seL4_TCBBits) core::Tcb idle_tcb;

} // namespace

namespace kernel_instances {
void ConsoleFaultReporter::report(core::Tcb& tcb, const char* line) { report_unhandled_fault(tcb, line); }

ConsoleFaultReporter reporter;
X86ArchThread arch_thread;
// The scheduler is the one object here with a constructor: kernel_main runs it.
core::Scheduler scheduler(arch_thread, idle_tcb);
core::CoreContext context{core::MemoryWindow{DirectMapBase}, hooks, preemption};
} // namespace kernel_instances

} // namespace tessera::x86_64
