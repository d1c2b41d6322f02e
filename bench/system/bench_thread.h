// Threads for the benchmarks, made directly with TCB invocations (Untyped_Retype, TCB_Configure,
// SetPriority, WriteRegisters) so that the suite depends on no thread library. A thread runs a
// function of this program, in the root task's address space or in another one that maps the
// same image (OtherAddressSpace).
#pragma once

#include <sel4/sel4.h>

#include "kernel_objects.h"

namespace tessera::bench {

using ThreadEntry = void (*)(seL4_Word argument);

struct ThreadSpec {
    seL4_CPtr vspace;          // seL4_CapInitThreadVSpace, or OtherAddressSpace::vspace()
    seL4_Word priority;        // at most the root task's, seL4_MaxPrio
    seL4_CPtr fault_endpoint;  // in the root CNode; seL4_CapNull for none
    ThreadEntry entry;         // must never return: it has no caller to return to
    seL4_Word argument;
};

class BenchThread {
public:
    // Up to this many threads exist at once; each has its own stack, TLS block and IPC buffer.
    static constexpr unsigned MaxThreads = 3;

    // The thread slot `index` (< MaxThreads). Slots are static, never on a stack: a thread in the
    // other address space reads its slot, and the root task's stack is not mapped there.
    static BenchThread& slot(unsigned index);

    // Creates the thread and starts it; the slot must not be in use. Errors are the kernel's;
    // seL4_IllegalOperation from TCB_Configure means the kernel has no threads yet.
    seL4_Error start(KernelObjects& objects, const ThreadSpec& spec);
    // Deletes the TCB, which stops the thread wherever it is, and unmaps its IPC buffer.
    void destroy();
    seL4_CPtr tcb() const { return tcb_; }

    // Runs on the new thread: points libsel4 at the IPC buffer, then calls the entry.
    [[noreturn]] static void run(BenchThread* self);

private:
    unsigned index_ = 0;
    seL4_CPtr tcb_ = seL4_CapNull;
    seL4_CPtr ipc_buffer_frame_ = seL4_CapNull;
    seL4_IPCBuffer* ipc_buffer_ = nullptr;
    ThreadEntry entry_ = nullptr;
    seL4_Word argument_ = 0;
};

// A second address space: its own PML4 and ASID, mapping this program's image frames at the same
// addresses (copies of BootInfo's userImageFrames capabilities). Code and data are shared, so a
// thread there reads and writes the suite's variables; what differs is the page-table root, so
// every switch between the two is a real address-space switch.
class OtherAddressSpace {
public:
    seL4_Error create(KernelObjects& objects, const seL4_BootInfo& boot_info);
    seL4_CPtr vspace() const { return vspace_; }

private:
    seL4_CPtr vspace_ = seL4_CapNull;
};

} // namespace tessera::bench
