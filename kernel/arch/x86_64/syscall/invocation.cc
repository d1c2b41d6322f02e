#include "arch/x86_64/invocation.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/abi/ipc_buffer.h>

#include "arch/x86_64/devices.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/vspace.h"
#include "base/message_info.h"
#include "cnode/cnode_invocation.h"
#include "cnode/lookup.h"
#include "kernel/console.h"
#include "untyped/retype.h"

namespace tessera::x86_64 {
namespace {

using core::CapType;
using core::MessageInfo;
using core::Progress;
using core::Result;
using core::SyscallError;
using core::Word;

constexpr unsigned RegisterMessageWords = 4; // MR0..MR3 travel in r10, r8, r9, r15

Word* message_register(SavedRegisters& r, unsigned index)
{
    switch (index) {
    case 0: return &r.r10;
    case 1: return &r.r8;
    case 2: return &r.r9;
    default: return &r.r15;
    }
}

Result<Progress> dispatch(core::CoreContext& ctx, Word label, const core::Invocation& inv, core::Slot& slot,
                          Word* reply, Word& reply_length)
{
    const core::Cap cap = slot.cap;
    switch (cap.type()) {
    case CapType::CNode:
        if (label < CNodeRevoke || label > CNodeSaveCaller)
            return SyscallError::illegal_operation().because("CNode: not a CNode method");
        // FIXME(#5): SaveCaller needs the caller's reply slot, which arrives with TCBs.
        return core::invoke_cnode(ctx, core::CNodeMethod(label - CNodeRevoke), inv, core::CNodeCap{cap}, nullptr);
    case CapType::Untyped:
        if (label != UntypedRetype)
            return SyscallError::illegal_operation().because("Untyped: not Retype");
        return core::invoke_untyped_retype(ctx, inv, slot);
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::PageDirectory:
    case CapType::Pdpt:
    case CapType::AsidControl:
    case CapType::AsidPool:
        return invoke_vspace_object(ctx, label, inv, slot, reply, reply_length);
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::IoPortControl:
    case CapType::IoPort:
        return invoke_device_object(ctx, label, inv, slot, reply, reply_length); // issue 6: devices
    default:
        // FIXME(#5): TCBs, endpoints, notifications.
        return SyscallError::illegal_operation().because("this object's invocations are not implemented yet");
    }
}

void report_lookup_fault(const Thread& thread, Word cptr, const char* what)
{
    // FIXME(#5): a capability fault message to the thread's fault handler.
    kprintf("tessera: thread '%s' capability fault: %s 0x%lx cannot be looked up; no fault handler: "
            "thread suspended\n",
            thread.name, what, cptr);
}

} // namespace

void handle_invocation(Thread& thread, SavedRegisters& r, ReplyWanted reply)
{
    core::CoreContext& ctx = core_context();
    const MessageInfo info{r.rsi};
    auto* ipc = thread.ipc_buffer ? physical_to_virtual<seL4_IPCBuffer>(thread.ipc_buffer) : nullptr;

    Word words[seL4_MsgMaxLength];
    Word length = info.length();
    if (ipc == nullptr && length > RegisterMessageWords)
        length = RegisterMessageWords;
    for (Word i = 0; i < length; i++)
        words[i] = i < RegisterMessageWords ? *message_register(r, unsigned(i)) : ipc->msg[i];

    const Word cptr = r.rdi;
    const auto invoked = core::lookup_slot(ctx, thread.cspace_root, core::CPtr{cptr});
    if (!invoked || invoked.value()->is_empty()) {
        report_lookup_fault(thread, cptr, "capability");
        suspend_current_thread();
    }

    core::Slot* extra[seL4_MsgMaxExtraCaps] = {};
    const Word extra_count = ipc ? info.extra_caps() : 0;
    for (Word i = 0; i < extra_count; i++) {
        const auto found = core::lookup_slot(ctx, thread.cspace_root, core::CPtr{ipc->caps_or_badges[i]});
        if (!found) {
            report_lookup_fault(thread, ipc->caps_or_badges[i], "extra capability");
            suspend_current_thread();
        }
        extra[i] = found.value();
    }

    const core::Invocation inv(words, length, extra, extra_count);
    Word reply_words[seL4_MsgMaxLength];
    Word reply_length = 0;
    const Result<Progress> result = dispatch(ctx, info.label(), inv, *invoked.value(), reply_words, reply_length);
    if (result && result.value() == Progress::Preempted) {
        r.rip -= 2; // back onto `syscall`: the invocation restarts from the top
        return;
    }
    if (reply == ReplyWanted::No)
        return;

    Word label = 0;
    if (!result) {
        Word detail[core::ErrorMessageWords];
        reply_length = result.error().write_message(detail);
        label = result.error().code();
        for (Word i = 0; i < reply_length; i++)
            reply_words[i] = detail[i];
    }
    for (Word i = 0; i < reply_length; i++) {
        if (i < RegisterMessageWords)
            *message_register(r, unsigned(i)) = reply_words[i];
        else if (ipc)
            ipc->msg[i] = reply_words[i];
    }
    r.rsi = MessageInfo::make(label, 0, 0, reply_length).word();
    r.rdi = 0; // the badge of a kernel reply
}

} // namespace tessera::x86_64
