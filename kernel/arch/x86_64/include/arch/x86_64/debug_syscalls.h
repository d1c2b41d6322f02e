// seL4's debug system calls beyond printing and halting.
#pragma once

#include "tcb/tcb.h"

namespace tessera::x86_64 {

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

} // namespace tessera::x86_64
