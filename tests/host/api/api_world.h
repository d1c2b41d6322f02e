// The IPC world of the ipc host tests with a system call in front: a thread loads a message,
// makes one of the eight API calls through the core's entry for it (api/syscall.h), as the
// kernel's syscall switch does, and the test reads the answer.
#pragma once

#include "api/syscall.h"
#include "arch_object_stub.h"
#include "ipc_world.h"

namespace tessera::core::test {

struct ApiWorld {
    IpcWorld w;

    ApiWorld() { arch_object_calls().clear(); }

    // `thread` (made current) with message `label`/`words` and extra capabilities `caps` (CPtrs)
    // in its IPC buffer, as it enters the kernel; returns the message info it passes.
    MessageInfo enter(Tcb& thread, Word label = 0, const std::vector<Word>& words = {},
                      const std::vector<Word>& caps = {})
    {
        w.load(thread, label, words, caps);
        if (w.scheduler.current() != &thread)
            w.make_current(thread);
        return MessageInfo{w.arch.of(thread).info};
    }

    // One system call each, on capability `cptr`.
    void call(Tcb& thread, Word cptr, Word label, const std::vector<Word>& words = {},
              const std::vector<Word>& caps = {})
    {
        handle_call(w.ctx, thread, CPtr{cptr}, enter(thread, label, words, caps));
    }
    void send(Tcb& thread, Word cptr, Word label, const std::vector<Word>& words = {},
              const std::vector<Word>& caps = {})
    {
        handle_send(w.ctx, thread, CPtr{cptr}, enter(thread, label, words, caps));
    }
    void nb_send(Tcb& thread, Word cptr, Word label, const std::vector<Word>& words = {})
    {
        handle_nb_send(w.ctx, thread, CPtr{cptr}, enter(thread, label, words));
    }
    void recv(Tcb& thread, Word cptr)
    {
        enter(thread);
        handle_recv(w.ctx, thread, CPtr{cptr});
    }
    void nb_recv(Tcb& thread, Word cptr)
    {
        enter(thread);
        handle_nb_recv(w.ctx, thread, CPtr{cptr});
    }
    void reply(Tcb& thread, Word label, const std::vector<Word>& words = {})
    {
        enter(thread, label, words);
        handle_reply(w.ctx, thread);
    }
    void reply_recv(Tcb& thread, Word cptr, Word label, const std::vector<Word>& words = {})
    {
        enter(thread, label, words);
        handle_reply_recv(w.ctx, thread, CPtr{cptr});
    }
    void yield(Tcb& thread)
    {
        enter(thread);
        handle_yield(w.ctx);
    }

    // The answer the thread's registers hold.
    Word reply_label(Tcb& t) { return info_label(w.arch.of(t).info); }
    Word reply_length(Tcb& t) { return info_length(w.arch.of(t).info); }
    Word mr(Tcb& t, size_t i) { return w.mr(t, i); }
};

} // namespace tessera::core::test
