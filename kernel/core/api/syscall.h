// seL4 handleSyscall for the eight API system calls every architecture has (Call, ReplyRecv,
// Send, NBSend, Recv, Reply, Yield, NBRecv). The architecture decides from the number which
// calls these are, reads the registers into SyscallArgs and calls this for them only (the rest,
// debug and benchmark calls, its own calls, an unknown number's fault, it handles without asking
// here); then it returns to whichever thread the scheduler chose.
#pragma once

#include <cstdint>

#include "base/message_info.h"
#include "cap/cap_kinds.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;

struct SyscallArgs {
    int64_t number; // seL4_Syscall_ID (abi/syscalls.h)
    CPtr cptr;      // the capability invoked or received on
    MessageInfo info;
};

enum class SyscallHandled { Yes, No };

// Runs an API system call for the current thread `thread`; No, with nothing done, for any
// other number.
SyscallHandled handle_api_syscall(IpcContext& ipc, Tcb& thread, const SyscallArgs& args);

} // namespace tessera::core
