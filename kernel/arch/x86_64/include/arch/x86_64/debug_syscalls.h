// seL4's debug system calls (CONFIG_PRINTING and CONFIG_DEBUG_BUILD) and Tessera's own. They
// exist only in the debug kernel: syscall/debug_syscalls.cc defines handle_debug_syscall there,
// syscall/release_syscalls.cc in the release kernel (docs/decisions.md 25).
#pragma once

#include <stdint.h>

#include "arch/x86_64/context.h"
#include "tcb/tcb.h"

namespace tessera::x86_64 {

// A system call number outside seL4's API: performs the debug call it names and returns true,
// or returns false (always, in the release kernel) and the caller raises an UnknownSyscall
// fault. DebugHalt and TESSERA_SysDebugExit do not return.
bool handle_debug_syscall(core::Tcb& thread, SavedRegisters& r, int64_t number);

// seL4_DebugCapIdentify: rdi = a capability address in the caller's CSpace; returns in rdi seL4's
// kernel tag for that capability's type (0 when there is none).
void debug_cap_identify(core::Tcb& thread);

// seL4_DebugNameThread: rdi = a TCB capability address; the name is a NUL-terminated string at
// the start of the caller's IPC buffer message words. Names what the kernel prints.
void debug_name_thread(core::Tcb& thread);

// TESSERA_SysDebugCheckInvariants: runs the kernel invariant checker over everything reachable
// from the caller's slots and the scheduler; prints the first broken invariant on the console and
// returns 0 (all hold) or 1 in the first message register.
void debug_check_invariants(core::Tcb& thread);

// Boot options only the debug kernel reads: `log_rejections` turns the rejection log on;
// `test_kernel_panic` makes the kernel panic just before the root task starts (tests/system/boot
// proves the panic path).
void run_debug_boot_hooks(const char* command_line);

} // namespace tessera::x86_64
