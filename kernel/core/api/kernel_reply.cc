#include "api/kernel_reply.h"

#include "base/message_info.h"
#include "debug/rejection_log.h"
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

// Every refused invocation passes here: the debug kernel logs it (debug/rejection_log.h; the
// kernel variant links the report), then a Call gets seL4's error message.
void reject_invocation(IpcContext& ipc, Tcb& thread, Word label, const SyscallError& error, IsCall call)
{
    report_rejection(thread.display_name(), label, error);
    if (call == IsCall::No)
        return;
    Word words[ErrorMessageWords];
    const Word length = error.write_message(words);
    reply_from_kernel(ipc.arch, thread, error.code(), words, length);
}

} // namespace tessera::core
