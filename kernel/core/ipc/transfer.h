// Moving a message from one thread to another: message registers, the message info word, the
// badge, extra capabilities (granted into the receive slot, or unwrapped to badges), and fault
// messages and fault replies in seL4's layouts (abi/faults.h).
#pragma once

#include <tessera/abi/faults.h>

#include "base/message_info.h"
#include "base/types.h"
#include "tcb/tcb.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;
class Endpoint;

// Whether the sender's capability allowed passing capabilities.
enum class Grant { No, Yes };

// seL4 doIPCTransfer: a normal message, or the sender's pending fault as a message. `endpoint`
// is the endpoint the message crosses (null for a reply); caps to it are unwrapped.
void do_ipc_transfer(IpcContext& ctx, Tcb& sender, Endpoint* endpoint, Badge badge, Grant grant,
                     Tcb& receiver);
// The message seL4 sends for `fault` of `sender` (abi/faults.h layouts): its words, the info
// word with the fault's label, and `badge`, into `receiver`. do_ipc_transfer's fault case, and
// the fault fastpath's delivery (ipc/fastpath_steps.h).
void deliver_fault_message(IpcContext& ctx, Tcb& sender, const PendingFault& fault, Badge badge, Tcb& receiver);
// The message info of an UnknownSyscall fault's message: its label and its length, nothing else.
inline constexpr Word SyscallFaultInfo =
    MessageInfo::make(seL4_Fault_UnknownSyscall, 0, 0, seL4_UnknownSyscall_Length).word();
// Whether a reply with `label` to a fault of `kind` restarts the faulted thread (else it stops):
// capability and VM faults always (the handler fixed the cause), the others on a zero label
// (seL4 handleFaultReply). Inline: the fastpath's check asks it.
inline bool fault_reply_restarts(FaultKind kind, Word label)
{
    return label == 0 || kind == FaultKind::CapFault || kind == FaultKind::VmFault;
}
// seL4 handleFaultReply: copies what the handler's reply may change back into the faulted
// thread's registers; true when the thread should restart.
bool handle_fault_reply(IpcContext& ctx, Tcb& faulted, Tcb& replier);
// The shortest UnknownSyscall reply the architecture's one pass takes: every register and the
// fault IP (SP and FLAGS are optional, as seL4 copyMRsFaultReply writes only the words sent;
// the number is never written back). Shorter replies go word by word.
inline constexpr size_t SyscallReplyLength = seL4_UnknownSyscall_FaultIP + 1;
// Whether handle_fault_reply takes the architecture's one pass for `faulted`'s fault and a reply
// with message info `info`: an emulator's answer to a system call (label 0, at least
// SyscallReplyLength words). The flat fastpath asks it too.
inline bool takes_syscall_reply_pass(const Tcb& faulted, MessageInfo info)
{
    return faulted.thread.fault.kind == FaultKind::UnknownSyscall && info.label() == 0 &&
           info.length() >= SyscallReplyLength;
}

} // namespace tessera::core
