// Invocations of kernel objects through seL4_Call and seL4_Send: the arguments come from the
// message registers and the IPC buffer, the invoked capability from the caller's CSpace.
#pragma once

#include "arch/x86_64/context.h"
#include "arch/x86_64/thread.h"

namespace tessera::x86_64 {

enum class ReplyWanted { No, Yes };

// Decodes and performs the invocation `registers` describe (seL4's x86_64 convention: cptr in
// rdi, message info in rsi, MR0..MR3 in r10, r8, r9, r15, further words and extra caps in the IPC
// buffer). With ReplyWanted::Yes (seL4_Call) the result is written back into the registers and
// the IPC buffer as seL4's reply. A capability that cannot be looked up is a capability fault.
void handle_invocation(Thread& thread, SavedRegisters& registers, ReplyWanted reply);

} // namespace tessera::x86_64
