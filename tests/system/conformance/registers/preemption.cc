// Preemption: a thread spinning with every register set is interrupted by the timer when its
// time slice ends, another thread of its priority runs, and the first resumes by `iretq` with
// every register as it was (rcx, r11 and rsp included).
#include "register_scenarios.h"

namespace register_suite {
namespace {

using namespace ipc_suite;

constexpr seL4_Word SpinPriority = 100;

void* spin(void* probe)
{
    probe_spin(static_cast<Probe*>(probe));
    return nullptr;
}

void* release(void*)
{
    spin_release = 1;
    return nullptr;
}

} // namespace

void preemption_tests()
{
    static Probe p;
    fill(p, 60);
    spin_release = 0;
    // Both ready at one priority, the spinner first: the releaser runs only if the timer
    // preempts the spinner, which then resumes from the interrupt.
    Thread* spinner = spawn(spin, &p, SpinPriority);
    Thread* releaser = spawn(release, nullptr, SpinPriority);
    join(spinner);
    join(releaser);
    destroy(spinner);
    destroy(releaser);
    // The spin loop's compare changes the arithmetic flags; nothing else may change.
    check_registers("registers.preemption.timer_interrupt_restores_all", p.out, p.in, bit(Reg::Rflags));
    libos_suite::check("registers.preemption.interrupts_stay_enabled", (p.out.rflags & 0x200) != 0);
}

} // namespace register_suite
