#include "api/kernel_reply.h"

#include "base/message_info.h"
#include "ipc/ipc_context.h"
#include "tcb/arch_thread.h"

namespace tessera::core {

void reply_from_kernel(ArchThread& arch, Tcb& thread, Word label, const Word* words, Word length)
{
    arch.set_message_registers(thread, words, length);
    arch.set_message_info(thread, MessageInfo::make(label, 0, 0, length).word());
    arch.set_badge(thread, Badge{0});
}

void reply_from_kernel(ArchThread& arch, Tcb& thread, const KernelReply& reply)
{
    reply_from_kernel(arch, thread, 0, reply.words, reply.length);
}

// `label` and error.reason() are what a rejection log prints (issue 18's debug variant).
void reject_invocation(IpcContext& ipc, Tcb& thread, [[maybe_unused]] Word label, const SyscallError& error,
                       IsCall call)
{
    if (call == IsCall::No)
        return;
    Word words[ErrorMessageWords];
    const Word length = error.write_message(words);
    reply_from_kernel(ipc.arch, thread, error.code(), words, length);
}

} // namespace tessera::core
