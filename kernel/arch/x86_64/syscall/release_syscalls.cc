// The release kernel has no debug system calls: every number outside seL4's API is an unknown
// system call, which becomes an UnknownSyscall fault, as on seL4's release build.
#include "arch/x86_64/debug_syscalls.h"

namespace tessera::x86_64 {

bool handle_debug_syscall(core::Tcb&, SavedRegisters&, int64_t) { return false; }

void run_debug_boot_hooks(const char*) {}

} // namespace tessera::x86_64
