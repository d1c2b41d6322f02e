// The IPC world of the ipc host tests with a system call in front: a thread loads a message,
// calls handle_api_syscall as the kernel's syscall entry does, and the test reads the answer.
#pragma once

#include <tessera/abi/syscalls.h>

#include "api/syscall.h"
#include "arch_object_stub.h"
#include "ipc_world.h"

namespace tessera::core::test {

struct ApiWorld {
    IpcWorld w;

    ApiWorld() { arch_object_calls().clear(); }

    // Runs system call `number` for `thread` (made current) on capability `cptr` with message
    // `label`/`words`, extra capabilities `caps` (CPtrs) in its IPC buffer.
    SyscallHandled syscall(Tcb& thread, int64_t number, Word cptr, Word label = 0,
                           const std::vector<Word>& words = {}, const std::vector<Word>& caps = {})
    {
        w.load(thread, label, words, caps);
        if (w.scheduler.current() != &thread)
            w.make_current(thread);
        const SyscallArgs args{number, CPtr{cptr}, MessageInfo{w.arch.of(thread).info}};
        return handle_api_syscall(w.ctx, thread, args);
    }
    SyscallHandled call(Tcb& thread, Word cptr, Word label, const std::vector<Word>& words = {},
                        const std::vector<Word>& caps = {})
    {
        return syscall(thread, seL4_SysCall, cptr, label, words, caps);
    }
    SyscallHandled send(Tcb& thread, Word cptr, Word label, const std::vector<Word>& words = {},
                        const std::vector<Word>& caps = {})
    {
        return syscall(thread, seL4_SysSend, cptr, label, words, caps);
    }

    // The answer the thread's registers hold.
    Word reply_label(Tcb& t) { return info_label(w.arch.of(t).info); }
    Word reply_length(Tcb& t) { return info_length(w.arch.of(t).info); }
    Word mr(Tcb& t, size_t i) { return w.mr(t, i); }
};

} // namespace tessera::core::test
