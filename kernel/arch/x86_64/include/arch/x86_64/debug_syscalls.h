// seL4's debug system calls beyond printing and halting.
#pragma once

#include "arch/x86_64/context.h"
#include "arch/x86_64/thread.h"

namespace tessera::x86_64 {

// seL4_DebugCapIdentify: rdi = a capability address in the caller's CSpace; returns in rdi seL4's
// kernel tag for that capability's type (0 when there is none).
void debug_cap_identify(const Thread& thread, SavedRegisters& registers);

} // namespace tessera::x86_64
