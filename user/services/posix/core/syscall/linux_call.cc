// Linux's `syscall` convention: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9 (r10, not
// rcx, because the instruction overwrites rcx), result in rax; rcx and r11 are clobbered with the
// return address and RFLAGS, which is what the reply gives back.
#include "core/syscall/linux_call.h"

namespace tessera::posix {

namespace {
constexpr uint64_t SyscallBytes = 2; // 0f 05
}

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

void encode_linux_reply(const LinuxCall& call, int64_t result, uint64_t (&reply)[ReplyWords])
{
    __builtin_memcpy(reply, call.words, sizeof reply);
    const uint64_t next = call.instruction() + SyscallBytes;
    reply[seL4_UnknownSyscall_RAX] = uint64_t(result);
    reply[seL4_UnknownSyscall_FaultIP] = next;
    reply[seL4_UnknownSyscall_RCX] = next;
    reply[seL4_UnknownSyscall_R11] = call.words[seL4_UnknownSyscall_FLAGS];
}

} // namespace tessera::posix
