// The running user thread and what the CPU does when none can run. A placeholder for seL4's TCBs
// and scheduler (issue 5), kept small: one thread, the root task.
#pragma once

#include "arch/x86_64/context.h"
#include "cap/cap.h"

namespace tessera::x86_64 {

struct Thread {
    ThreadContext context;
    const char* name;
    uint64_t address_space; // physical address of its PML4
    core::Cap cspace_root;  // the CNode capability its capability addresses start from
    uint64_t ipc_buffer;    // physical address of its IPC buffer frame (0: none)
    bool runnable;
};

// Runs `thread` in user mode; never returns.
[[noreturn]] void start_thread(Thread& thread);

// The current thread took an exception (`fault_address` is CR2 for page faults). With no fault
// handler it is reported in one line and suspended; the kernel goes on.
[[noreturn]] void current_thread_faulted(const SavedRegisters& registers, uint64_t fault_address);

// The current thread stopped for good (fault without handler, unknown system call).
[[noreturn]] void suspend_current_thread();

// Nothing can run: halt with interrupts enabled until one arrives. With the boot option
// `exit_on_idle` (used by tests) QEMU ends instead, with status 0.
[[noreturn]] void idle();
void set_exit_on_idle(bool enabled);

Thread* current_thread();

} // namespace tessera::x86_64
