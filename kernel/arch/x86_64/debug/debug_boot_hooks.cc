// The debug kernel's boot hooks (debug_syscalls.h).
#include "arch/x86_64/debug_syscalls.h"
#include "boot/boot_options.h"
#include "debug/rejection_log.h"

namespace tessera::x86_64 {

void run_debug_boot_hooks(const char* command_line)
{
    if (boot::has_option(command_line, "log_rejections"))
        core::enable_rejection_log();
    // Proves the panic path (tests/system/boot): an invalid opcode in kernel mode.
    if (boot::has_option(command_line, "test_kernel_panic"))
        asm volatile("ud2");
}

} // namespace tessera::x86_64
