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

} // namespace tessera::x86_64
