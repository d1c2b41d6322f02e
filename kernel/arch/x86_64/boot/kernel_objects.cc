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

// The kernel's hooks have no state of their own (the definitions below reach the kernel's contexts).
class KernelHooks final : public core::ObjectHooks {};

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

// What deleting a capability does to its object (seL4 finaliseCap) and what a new object needs:
// the kernel image's one definition of core::ObjectHooks (cdt/object_hooks.h), chosen at link time.
namespace tessera::core {

void ObjectHooks::finalise(Cap cap, Finality finality)
{
    const bool final = finality == Finality::Final;
    if (final && TcbCap::is(cap))
        x86_64::release_fpu(*x86_64::core_context().window.at<Tcb>(TcbCap{cap}.object()));
    if (final)
        finalise_ipc_object(x86_64::ipc_context(), cap);
    if (final)
        x86_64::finalise_svm_binding(x86_64::core_context(), cap); // issue 24: a VCPU and its TCB let go of each other
    x86_64::finalise_vspace_cap(cap, final);
    x86_64::finalise_device_cap(cap, finality); // issue 6: an IRQ handler drops its notification
}

void ObjectHooks::created(Cap cap)
{
    if (TcbCap::is(cap))
        x86_64::init_arch_tcb(*x86_64::core_context().window.at<Tcb>(TcbCap{cap}.object()));
    x86_64::initialise_vspace_object(x86_64::core_context(), cap);
    x86_64::initialise_svm_vcpu(x86_64::core_context(), cap);
}

bool ObjectHooks::has_svm() const
{
    return x86_64::svm_enabled();
}

void ObjectHooks::post_cap_deletion(Cap cleanup)
{
    x86_64::release_device_cap(cleanup); // IRQs, port ranges
}

} // namespace tessera::core
