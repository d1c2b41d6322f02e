// TESSERA_SysDebugCheckInvariants (issue 10): the portable invariant checker run over the live
// kernel, from the calling thread's own slots and the scheduler's state. The workspace is too big
// for a kernel stack, so it lives in the data section; the kernel runs one system call at a time.
#include "arch/x86_64/debug_syscalls.h"

#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/thread.h"
#include "invariants/invariants.h"
#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

core::InvariantWorkspace workspace;

} // namespace

void debug_check_invariants(core::Tcb& thread)
{
    // Everything the checker looks at is reached from the caller's CSpace, VSpace and IPC buffer
    // slots, and from the ready queues (which lead to every other runnable thread's slots).
    core::Slot* roots[core::TcbSlotCount];
    for (size_t i = 0; i < core::TcbSlotCount; ++i)
        roots[i] = &thread.slots[i];
    const core::InvariantReport report = core::check_invariants(
        core_context(), core::RootSlots{roots, core::TcbSlotCount},
        ipc_context().scheduler.cpu(), workspace);
    if (report.is_broken())
        kprintf("tessera: invariant broken: %s\n", report.line());
    registers_of(thread).r10 = report.is_broken() ? 1 : 0; // the first message register
}

} // namespace tessera::x86_64
