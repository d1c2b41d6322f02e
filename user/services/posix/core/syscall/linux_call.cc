// Linux's `syscall` convention: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9 (r10, not
// rcx, because the instruction overwrites rcx), result in rax; rcx and r11 are clobbered with the
// return address and RFLAGS, which is what the reply gives back.
#include "core/syscall/linux_call.h"

namespace tessera::posix {

LinuxCall decode_linux_call(const uint64_t (&message)[FaultWords])
{
    LinuxCall call;
    // __builtin_memcpy: a constant-size copy the compiler inlines (the server is built with
    // -fno-builtin, which would leave a word loop here on every system call).
    __builtin_memcpy(call.words, message, sizeof call.words);
    call.number = message[seL4_UnknownSyscall_RAX];
    call.args[0] = message[seL4_UnknownSyscall_RDI];
    call.args[1] = message[seL4_UnknownSyscall_RSI];
    call.args[2] = message[seL4_UnknownSyscall_RDX];
    call.args[3] = message[seL4_UnknownSyscall_R10];
    call.args[4] = message[seL4_UnknownSyscall_R8];
    call.args[5] = message[seL4_UnknownSyscall_R9];
    return call;
}

} // namespace tessera::posix
