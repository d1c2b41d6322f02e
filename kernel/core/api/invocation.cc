#include "api/invocation.h"

#include <tessera/abi/invocation_labels.h>

#include "api/arch_object.h"
#include "api/kernel_reply.h"
#include "cnode/lookup.h"
#include "domain/domain_invocation.h"
#include "ipc/cnode_ipc.h"
#include "ipc/fault.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/arch_thread.h"
#include "tcb/tcb_invocation.h"
#include "untyped/retype.h"

namespace tessera::core {
namespace {

Result<Progress> invoke_tcb(IpcContext& ipc, Word label, const Invocation& inv, TcbCap cap, Tcb& caller,
                            KernelReply& reply)
{
    if (!is_tcb_label(label))
        return SyscallError::illegal_operation().because("TCB: not a TCB method");
    const auto plan = decode_tcb_invocation(ipc, tcb_method_of(label), inv, cap, caller);
    if (!plan)
        return plan.error();
    TcbReply words;
    const Progress progress = perform_tcb_invocation(ipc, plan.value(), words);
    reply.length = words.length;
    for (Word i = 0; i < words.length; i++)
        reply.words[i] = words.words[i];
    return progress;
}

// A kernel object's method: decode, then perform while the caller is in Restart (seL4's
// decodeInvocation). A method that blocks or stops the caller changes that state. The objects
// every architecture has are dispatched here; the rest are the architecture's.
Result<Progress> invoke_object(IpcContext& ipc, Word label, const Invocation& inv, Slot& slot, Tcb& caller,
                               KernelReply& reply)
{
    const Cap cap = slot.cap;
    switch (cap.type()) {
    case CapType::CNode:
        if (!is_cnode_label(label))
            return SyscallError::illegal_operation().because("CNode: not a CNode method");
        return invoke_cnode_for_thread(ipc, cnode_method_of(label), inv, CNodeCap{cap}, caller);
    case CapType::Untyped:
        if (label != UntypedRetype)
            return SyscallError::illegal_operation().because("Untyped: not Retype");
        return invoke_untyped_retype(ipc.core, inv, slot);
    case CapType::Tcb:
        return invoke_tcb(ipc, label, inv, TcbCap{cap}, caller, reply);
    case CapType::Domain:
        if (label < DomainSetSet || label >= DomainSetSet + DomainMethodCount)
            return SyscallError::illegal_operation().because("Domain: not a DomainSet method");
        return invoke_domain(ipc, DomainMethod(label - DomainSetSet), inv);
    default:
        return invoke_arch_object(ipc, label, inv, slot, caller, reply);
    }
}

// The message's extra capabilities as slots (seL4 lookupExtraCaps): none without an IPC buffer,
// which holds their addresses. False after a failed lookup, which faults a blocking call.
bool lookup_extra_caps(IpcContext& ipc, Tcb& thread, MessageInfo info, Slot* (&slots)[seL4_MsgMaxExtraCaps],
                       Word& count, Blocking blocking)
{
    count = info.extra_caps() != 0 && ipc.arch.has_ipc_buffer(thread) ? info.extra_caps() : 0;
    for (Word i = 0; i < count; i++) {
        const CPtr cptr{ipc.arch.ipc_buffer_word(thread, BufferCapsOrBadges + i)};
        const auto found = lookup_slot(ipc.core, thread.slot(TcbSlot::CSpace).cap, cptr);
        if (!found) {
            if (blocking == Blocking::Yes)
                handle_fault(ipc, thread, cap_fault(cptr, false, found.error()));
            return false;
        }
        slots[i] = found.value();
    }
    return true;
}

// A kernel object's method with the message words as the decoders read them, then the answer.
void invoke_kernel_object(IpcContext& ipc, Tcb& thread, MessageInfo info, Slot& slot, Slot* const* extra,
                          Word extra_count, IsCall call)
{
    Word words[seL4_MsgMaxLength];
    const Word sent = info.length() < Word{seL4_MsgMaxLength} ? info.length() : Word{seL4_MsgMaxLength};
    const Word length = ipc.arch.clamp_message_length(thread, sent);
    ipc.arch.read_message_registers(thread, words, length);
    const Invocation inv(words, length, extra, extra_count);
    KernelReply reply;
    ipc.scheduler.set_thread_state(thread, ThreadState::Restart);
    const Result<Progress> result = invoke_object(ipc, info.label(), inv, slot, thread, reply);
    if (!result) {
        ipc.scheduler.set_thread_state(thread, ThreadState::Running);
        reject_invocation(ipc, thread, info.label(), result.error(), call);
        return;
    }
    if (result.value() == Progress::Preempted)
        return; // still Restart: the system call runs again from the top
    if (thread.state() == ThreadState::Restart) {
        if (call == IsCall::Yes)
            reply_from_kernel(ipc.arch, thread, reply);
        ipc.scheduler.set_thread_state(thread, ThreadState::Running);
    }
}

// seL4 handleInvocation(isCall, isBlocking), which the three system calls share.
void handle_invocation(IpcContext& ipc, Tcb& thread, CPtr cptr, MessageInfo info, IsCall call, Blocking blocking)
{
    const auto invoked = lookup_slot(ipc.core, thread.slot(TcbSlot::CSpace).cap, cptr);
    if (!invoked) {
        if (blocking == Blocking::Yes)
            handle_fault(ipc, thread, cap_fault(cptr, false, invoked.error()));
        return;
    }
    Slot* extra[seL4_MsgMaxExtraCaps] = {};
    Word extra_count = 0;
    if (!lookup_extra_caps(ipc, thread, info, extra, extra_count, blocking))
        return;

    Slot& slot = *invoked.value();
    const Cap cap = slot.cap;
    // Why the capability cannot be invoked, for the rejection log (seL4 answers them all alike).
    const char* refused = nullptr;
    switch (cap.type()) {
    case CapType::Endpoint: {
        const EndpointCap endpoint{cap};
        if (!endpoint.can_send()) {
            refused = "endpoint without Send cannot be invoked";
            break;
        }
        send_to_endpoint(ipc, thread, endpoint, call, blocking);
        return;
    }
    case CapType::Notification: {
        const NotificationCap notification{cap};
        if (!notification.can_send()) {
            refused = "notification without Send cannot be invoked";
            break;
        }
        send_signal(ipc, *ipc.core.window.at<Notification>(notification.object()), notification.badge());
        if (call == IsCall::Yes) // seL4 answers a Call on a notification with an empty reply
            reply_from_kernel(ipc.arch, thread, 0, nullptr, 0);
        return;
    }
    case CapType::Reply: {
        const ReplyCap reply{cap};
        if (reply.is_master()) {
            refused = "master reply capability cannot be invoked";
            break;
        }
        do_reply_transfer(ipc, thread, *ipc.core.window.at<Tcb>(reply.tcb()), slot, reply.can_grant());
        if (call == IsCall::Yes)
            reply_from_kernel(ipc.arch, thread, 0, nullptr, 0);
        return;
    }
    case CapType::Null:
        refused = "null capability cannot be invoked";
        break;
    case CapType::Zombie:
        refused = "zombie capability cannot be invoked";
        break;
    default:
        invoke_kernel_object(ipc, thread, info, slot, extra, extra_count, call);
        return;
    }
    // Refused like any other invocation, so that the rejection log shows it.
    reject_invocation(ipc, thread, info.label(), SyscallError::invalid_capability(0).because(refused), call);
}

} // namespace

void send_to_endpoint(IpcContext& ipc, Tcb& thread, EndpointCap cap, IsCall call, Blocking blocking)
{
    ipc.scheduler.set_thread_state(thread, ThreadState::Restart);
    send_ipc(ipc, thread, cap, blocking, call);
    if (thread.state() == ThreadState::Restart)
        ipc.scheduler.set_thread_state(thread, ThreadState::Running);
}

void handle_call(IpcContext& ipc, Tcb& thread, CPtr cptr, MessageInfo info)
{
    handle_invocation(ipc, thread, cptr, info, IsCall::Yes, Blocking::Yes);
}

void handle_send(IpcContext& ipc, Tcb& thread, CPtr cptr, MessageInfo info)
{
    handle_invocation(ipc, thread, cptr, info, IsCall::No, Blocking::Yes);
}

void handle_nb_send(IpcContext& ipc, Tcb& thread, CPtr cptr, MessageInfo info)
{
    handle_invocation(ipc, thread, cptr, info, IsCall::No, Blocking::No);
}

} // namespace tessera::core
