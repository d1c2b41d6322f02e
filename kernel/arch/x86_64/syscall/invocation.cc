#include "arch/x86_64/invocation.h"

#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/invocation_labels.h>
#include <tessera/abi/ipc_buffer.h>

#include "arch/x86_64/arch_thread.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/svm.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/vspace.h"
#include "base/message_info.h"
#include "cnode/lookup.h"
#include "debug/rejection_log.h"
#include "domain/domain_invocation.h"
#include "ipc/cnode_ipc.h"
#include "ipc/fastpath_steps.h"
#include "ipc/fault.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb_invocation.h"
#include "untyped/retype.h"

namespace tessera::x86_64 {
namespace {

using core::CapType;
using core::MessageInfo;
using core::Progress;
using core::Result;
using core::SyscallError;
using core::Tcb;
using core::ThreadState;
using core::Word;

// What a kernel object's method answers on success.
struct KernelReply {
    Word words[seL4_MsgMaxLength];
    Word length = 0;
};

Result<Progress> invoke_tcb(core::IpcContext& ipc, Word label, const core::Invocation& inv, core::TcbCap cap,
                            Tcb& caller, KernelReply& reply)
{
    if (!core::is_tcb_label(label))
        return SyscallError::illegal_operation().because("TCB: not a TCB method");
    const auto plan = core::decode_tcb_invocation(ipc, core::tcb_method_of(label), inv, cap, caller);
    if (!plan)
        return plan.error();
    core::TcbReply words;
    const Progress progress = core::perform_tcb_invocation(ipc, plan.value(), words);
    reply.length = words.length;
    for (Word i = 0; i < words.length; i++)
        reply.words[i] = words.words[i];
    return progress;
}

// A kernel object's method: decode, then perform while the caller is in Restart (seL4's
// decodeInvocation). A method that blocks or stops the caller changes that state.
Result<Progress> invoke_object(core::IpcContext& ipc, Word label, const core::Invocation& inv, core::Slot& slot,
                               Tcb& caller, KernelReply& reply)
{
    core::CoreContext& ctx = ipc.core;
    const core::Cap cap = slot.cap;
    switch (cap.type()) {
    case CapType::CNode:
        if (!core::is_cnode_label(label))
            return SyscallError::illegal_operation().because("CNode: not a CNode method");
        return core::invoke_cnode_for_thread(ipc, core::cnode_method_of(label), inv, core::CNodeCap{cap},
                                             caller);
    case CapType::Untyped:
        if (label != UntypedRetype)
            return SyscallError::illegal_operation().because("Untyped: not Retype");
        return core::invoke_untyped_retype(ctx, inv, slot);
    case CapType::Tcb:
        return invoke_tcb(ipc, label, inv, core::TcbCap{cap}, caller, reply);
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::PageDirectory:
    case CapType::Pdpt:
    case CapType::AsidControl:
    case CapType::AsidPool:
        return invoke_vspace_object(ctx, label, inv, slot, reply.words, reply.length);
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::IoPortControl:
    case CapType::IoPort:
        return invoke_device_object(ctx, label, inv, slot, reply.words, reply.length); // issue 6: devices
    case CapType::Domain:
        if (label < DomainSetSet || label >= DomainSetSet + core::DomainMethodCount)
            return SyscallError::illegal_operation().because("Domain: not a DomainSet method");
        return core::invoke_domain(ipc, core::DomainMethod(label - DomainSetSet), inv);
    case CapType::SvmVcpu: // issue 24
        return invoke_svm_vcpu(ctx, label, inv, slot, reply.words, reply.length);
    default:
        return SyscallError::illegal_operation().because("not an invocable object");
    }
}

// seL4 replyFromKernel: label 0 and the method's words, or the error's label and words.
void reply_from_kernel(core::ArchThread& arch, Tcb& thread, Word label, const Word* words, Word length)
{
    for (Word i = 0; i < length; i++)
        arch.set_message_register(thread, i, words[i]);
    arch.set_message_info(thread, MessageInfo::make(label, 0, 0, length).word());
    arch.set_badge(thread, core::Badge{0});
}

void reply_error(core::ArchThread& arch, Tcb& thread, const SyscallError& error)
{
    Word words[core::ErrorMessageWords];
    const Word length = error.write_message(words);
    reply_from_kernel(arch, thread, error.code(), words, length);
}

// The message's capabilities as slots (seL4 lookupExtraCaps); false after a fault was raised.
bool lookup_extra_caps(core::IpcContext& ipc, Tcb& thread, MessageInfo info, core::Slot* (&slots)[seL4_MsgMaxExtraCaps],
                       Word& count, core::Blocking blocking)
{
    const Word* buffer = ipc_buffer_words(thread, BufferAccess::Read);
    count = buffer ? info.extra_caps() : 0;
    for (Word i = 0; i < count; i++) {
        const core::CPtr cptr{buffer[core::BufferCapsOrBadges + i]};
        const auto found = core::lookup_slot(ipc.core, thread.slot(core::TcbSlot::CSpace).cap, cptr);
        if (!found) {
            if (blocking == core::Blocking::Yes)
                core::handle_fault(ipc, thread, core::cap_fault(cptr, false, found.error()));
            return false;
        }
        slots[i] = found.value();
    }
    return true;
}

} // namespace

void send_to_endpoint(core::IpcContext& ipc, Tcb& thread, core::EndpointCap cap, core::IsCall call,
                      core::Blocking blocking)
{
    ipc.scheduler.set_thread_state(thread, ThreadState::Restart);
    core::send_ipc(ipc, thread, cap, blocking, call);
    if (thread.state() == ThreadState::Restart)
        ipc.scheduler.set_thread_state(thread, ThreadState::Running);
}

void handle_invocation(Tcb& thread, core::IsCall call, core::Blocking blocking)
{
    core::IpcContext& ipc = ipc_context();
    SavedRegisters& r = registers_of(thread);
    const MessageInfo info{r.rsi};
    const core::CPtr cptr{r.rdi};

    const auto invoked = core::lookup_slot(ipc.core, thread.slot(core::TcbSlot::CSpace).cap, cptr);
    if (!invoked) {
        if (blocking == core::Blocking::Yes)
            core::handle_fault(ipc, thread, core::cap_fault(cptr, false, invoked.error()));
        return;
    }
    core::Slot* extra[seL4_MsgMaxExtraCaps] = {};
    Word extra_count = 0;
    if (!lookup_extra_caps(ipc, thread, info, extra, extra_count, blocking))
        return;

    core::Slot& slot = *invoked.value();
    const core::Cap cap = slot.cap;
    const bool is_call = call == core::IsCall::Yes;
    switch (cap.type()) {
    case CapType::Endpoint: {
        const core::EndpointCap endpoint{cap};
        if (!endpoint.can_send())
            break;
        send_to_endpoint(ipc, thread, endpoint, call, blocking);
        return;
    }
    case CapType::Notification: {
        const core::NotificationCap notification{cap};
        if (!notification.can_send())
            break;
        core::send_signal(ipc, *ipc.core.window.at<core::Notification>(notification.object()), notification.badge());
        if (is_call) // seL4 answers a Call on a notification with an empty reply
            reply_from_kernel(ipc.arch, thread, 0, nullptr, 0);
        return;
    }
    case CapType::Reply: {
        const core::ReplyCap reply{cap};
        if (reply.is_master())
            break;
        core::do_reply_transfer(ipc, thread, *ipc.core.window.at<Tcb>(reply.tcb()), slot, reply.can_grant());
        if (is_call)
            reply_from_kernel(ipc.arch, thread, 0, nullptr, 0);
        return;
    }
    case CapType::Null:
    case CapType::Zombie:
        break;
    default: {
        // A kernel object's method: the message words as the decoders read them.
        Word words[seL4_MsgMaxLength];
        Word length = info.length();
        if (length > RegisterMessageWords && !ipc.arch.has_ipc_buffer(thread))
            length = RegisterMessageWords;
        for (Word i = 0; i < length; i++)
            words[i] = ipc.arch.message_register(thread, i);
        const core::Invocation inv(words, length, extra, extra_count);
        KernelReply reply;
        ipc.scheduler.set_thread_state(thread, ThreadState::Restart);
        const Result<Progress> result = invoke_object(ipc, info.label(), inv, slot, thread, reply);
        if (!result) {
            core::report_rejection(thread_name(thread), info.label(), result.error());
            ipc.scheduler.set_thread_state(thread, ThreadState::Running);
            if (is_call)
                reply_error(ipc.arch, thread, result.error());
            return;
        }
        if (result.value() == Progress::Preempted)
            return; // still Restart: the system call runs again from the top
        if (thread.state() == ThreadState::Restart) {
            if (is_call)
                reply_from_kernel(ipc.arch, thread, 0, reply.words, reply.length);
            ipc.scheduler.set_thread_state(thread, ThreadState::Running);
        }
        return;
    }
    }
    // A null, zombie, receive-only or master reply capability cannot be invoked.
    if (is_call)
        reply_error(ipc.arch, thread,
                    SyscallError::invalid_capability(0).because("capability cannot be invoked"));
}

void handle_recv(Tcb& thread, core::Blocking blocking)
{
    core::IpcContext& ipc = ipc_context();
    const core::CPtr cptr{registers_of(thread).rdi};
    const auto found = core::lookup_cap(ipc.core, thread.slot(core::TcbSlot::CSpace).cap, cptr);
    if (!found) {
        core::handle_fault(ipc, thread, core::cap_fault(cptr, true, found.error()));
        return;
    }
    if (core::fastpath::receive_on(ipc, thread, found.value(), blocking))
        return;
    core::handle_fault(ipc, thread, core::cap_fault(cptr, true, core::LookupFailure::missing_capability(0)));
}

} // namespace tessera::x86_64
