// One Linux system call as the kernel delivers it: the UnknownSyscall fault message of a foreign
// thread (seL4's 19-word layout, abi/faults.h) decoded into the call number and its six
// arguments, and the reply that resumes the program after its `syscall` with the result in rax,
// rcx and r11 as Linux leaves them, every other register as it was.
#pragma once

#include <stdint.h>

#include <tessera/abi/faults.h>

#include "core/result.h"

namespace tessera::posix {

inline constexpr unsigned FaultWords = seL4_UnknownSyscall_Length;
// The reply carries the registers up to and including FLAGS: SP, FaultIP and FLAGS must come back.
inline constexpr unsigned ReplyWords = seL4_UnknownSyscall_Syscall;

struct LinuxCall {
    uint64_t number = 0;   // rax
    uint64_t args[6] = {}; // rdi, rsi, rdx, r10, r8, r9
    uint64_t words[FaultWords] = {}; // the message as received

    uint64_t instruction() const { return words[seL4_UnknownSyscall_FaultIP]; }
    uint64_t stack_pointer() const { return words[seL4_UnknownSyscall_SP]; }
};

LinuxCall decode_linux_call(const uint64_t (&message)[FaultWords]);

// rax as the program sees it: the value, or -errno.
inline int64_t linux_return(Errno error) { return -int64_t(error); }
template <class T> int64_t linux_return(const Result<T>& result)
{
    if (!result)
        return linux_return(result.error());
    if constexpr (requires { result.value(); })
        return int64_t(result.value());
    return 0;
}

// The bytes of the `syscall` instruction (0f 05): the program resumes past them.
inline constexpr uint64_t SyscallInstructionBytes = 2;

// The reply's message words: rax = `result`, FaultIP and rcx past the 2-byte `syscall`,
// r11 = RFLAGS, the rest as received. Inline: the server's every answer, written straight into
// its IPC buffer.
inline void encode_linux_reply(const LinuxCall& call, int64_t result, uint64_t (&reply)[ReplyWords])
{
    // __builtin_memcpy: a constant-size copy the compiler inlines (the server is built with
    // -fno-builtin, which would leave a word loop here).
    __builtin_memcpy(reply, call.words, sizeof reply);
    const uint64_t next = call.instruction() + SyscallInstructionBytes;
    reply[seL4_UnknownSyscall_RAX] = uint64_t(result);
    reply[seL4_UnknownSyscall_FaultIP] = next;
    reply[seL4_UnknownSyscall_RCX] = next;
    reply[seL4_UnknownSyscall_R11] = call.words[seL4_UnknownSyscall_FLAGS];
}

} // namespace tessera::posix
