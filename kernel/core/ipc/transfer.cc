// seL4's doNormalTransfer, transferCaps and doFaultTransfer (src/kernel/thread.c,
// src/api/faults.c), with registers reached through ArchThread.

#include "ipc/transfer.h"

#include <tessera/abi/faults.h>
#include <tessera/abi/message_info.h>

#include <utility>

#include "base/field.h"
#include "cdt/cdt.h"
#include "cdt/derive.h"
#include "cnode/lookup.h"
#include "endpoint/endpoint.h"
#include "ipc/ipc_context.h"
#include "tcb/arch_thread.h"
#include "tcb/tcb.h"

namespace tessera::core {

namespace msg_info {
// seL4 Reference Manual, "Message Info": length, extraCaps, capsUnwrapped, label.
using Length = Field<TESSERA_MSGINFO_LENGTH_SHIFT, TESSERA_MSGINFO_LENGTH_BITS>;
using ExtraCaps = Field<TESSERA_MSGINFO_EXTRA_CAPS_SHIFT, TESSERA_MSGINFO_EXTRA_CAPS_BITS>;
using CapsUnwrapped =
    Field<TESSERA_MSGINFO_CAPS_UNWRAPPED_SHIFT, TESSERA_MSGINFO_CAPS_UNWRAPPED_BITS>;
using Label = Field<TESSERA_MSGINFO_LABEL_SHIFT, TESSERA_MSGINFO_LABEL_BITS>;
} // namespace msg_info

namespace {

size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

// seL4 lookupExtraCaps: the sender's extra capability slots, or none if any lookup fails.
size_t lookup_extra_caps(IpcContext& ctx, Tcb& sender, size_t count,
                         Slot* (&slots)[seL4_MsgMaxExtraCaps])
{
    if (!ctx.arch.has_ipc_buffer(sender))
        return 0;
    Cap root = sender.slot(TcbSlot::CSpace).cap;
    for (size_t i = 0; i < count; ++i) {
        CPtr cptr{ctx.arch.ipc_buffer_word(sender, BufferCapsOrBadges + i)};
        auto slot = lookup_slot(ctx.core, root, cptr);
        if (!slot)
            return 0;
        slots[i] = slot.value();
    }
    return count;
}

// seL4 getReceiveSlots: the empty slot named by the receiver's buffer, or null.
Slot* receive_slot(IpcContext& ctx, Tcb& receiver)
{
    Cap root = receiver.slot(TcbSlot::CSpace).cap;
    auto cnode =
        lookup_cap(ctx.core, root, CPtr{ctx.arch.ipc_buffer_word(receiver, BufferReceiveCNode)});
    if (!cnode)
        return nullptr;
    auto slot = lookup_target_slot(ctx.core, cnode.value(),
                                   CPtr{ctx.arch.ipc_buffer_word(receiver, BufferReceiveIndex)},
                                   Depth{ctx.arch.ipc_buffer_word(receiver, BufferReceiveDepth)});
    if (!slot || !slot.value()->is_empty())
        return nullptr;
    return slot.value();
}

// seL4 transferCaps: returns the new info word's extraCaps/capsUnwrapped part applied to `info`.
Word transfer_caps(IpcContext& ctx, Word info, Endpoint* endpoint, Tcb& receiver, Slot* const* caps,
                   size_t count)
{
    info = msg_info::ExtraCaps::set(info, 0);
    info = msg_info::CapsUnwrapped::set(info, 0);
    if (count == 0 || !ctx.arch.has_ipc_buffer(receiver))
        return info;
    Slot* destination = receive_slot(ctx, receiver);
    Word unwrapped = 0;
    size_t i = 0;
    for (; i < count; ++i) {
        Slot& source = *caps[i];
        Cap cap = source.cap;
        if (EndpointCap::is(cap) && endpoint != nullptr &&
            ctx.core.window.at<Endpoint>(EndpointCap{cap}.object()) == endpoint) {
            // A capability to the endpoint the message crosses arrives as its badge only.
            ctx.arch.set_ipc_buffer_word(receiver, BufferCapsOrBadges + i,
                                         EndpointCap{cap}.badge().raw());
            unwrapped |= bit(static_cast<unsigned>(i));
            continue;
        }
        if (destination == nullptr)
            break;
        auto derived = derive_cap(source, cap);
        if (!derived || derived.value().is_null())
            break;
        insert_derived(derived.value(), source, *destination);
        destination = nullptr;
    }
    info = msg_info::ExtraCaps::set(info, i);
    return msg_info::CapsUnwrapped::set(info, unwrapped);
}

void do_normal_transfer(IpcContext& ctx, Tcb& sender, Endpoint* endpoint, Badge badge, Grant grant,
                        Tcb& receiver)
{
    Word info = ctx.arch.message_info(sender);
    Slot* caps[seL4_MsgMaxExtraCaps] = {};
    size_t cap_count = 0;
    if (grant == Grant::Yes)
        cap_count = lookup_extra_caps(ctx, sender, msg_info::ExtraCaps::get(info), caps);
    size_t length = min_size(msg_info::Length::get(info), seL4_MsgMaxLength);
    length = ctx.arch.clamp_message_length(sender, length);
    length = ctx.arch.clamp_message_length(receiver, length);
    ctx.arch.copy_message_registers(sender, receiver, length);
    info = transfer_caps(ctx, info, endpoint, receiver, caps, cap_count);
    info = msg_info::Length::set(info, length);
    ctx.arch.set_message_info(receiver, info);
    ctx.arch.set_badge(receiver, badge);
}

// The longest fault message (UnknownSyscall's; a capability fault's is at most 3 + 4 words).
constexpr size_t FaultMessageMax = seL4_UnknownSyscall_Length;
static_assert(seL4_CapFault_LookupFailureType + 4 <= FaultMessageMax);

static_assert(SyscallMessageRegisterCount == seL4_UnknownSyscall_FaultIP);

// The fault's message words in seL4's layout for its kind; returns how many.
size_t fault_message(ArchThread& arch, Tcb& sender, const PendingFault& fault, Word (&words)[FaultMessageMax])
{
    switch (fault.kind) {
    case FaultKind::CapFault:
        words[seL4_CapFault_IP] = arch.fault_ip(sender);
        words[seL4_CapFault_Addr] = fault.address;
        words[seL4_CapFault_InRecvPhase] = fault.in_receive;
        for (size_t i = 0; i < fault.detail_words; ++i)
            words[seL4_CapFault_LookupFailureType + i] = fault.detail[i];
        return seL4_CapFault_LookupFailureType + fault.detail_words;
    case FaultKind::UnknownSyscall: {
        Word registers[FrameRegisterCount];
        arch.frame_registers(sender, registers);
        [&]<size_t... I>(std::index_sequence<I...>) {
            ((words[I] = registers[size_t(SyscallMessageRegisters[I])]), ...);
        }(std::make_index_sequence<SyscallMessageRegisterCount>{});
        words[seL4_UnknownSyscall_FaultIP] = arch.fault_ip(sender);
        words[seL4_UnknownSyscall_SP] = registers[size_t(StackPointerRegister)];
        words[seL4_UnknownSyscall_FLAGS] = registers[size_t(FlagsRegister)];
        words[seL4_UnknownSyscall_Syscall] = fault.detail[0];
        return seL4_UnknownSyscall_Length;
    }
    case FaultKind::UserException:
        words[seL4_UserException_FaultIP] = arch.fault_ip(sender);
        words[seL4_UserException_SP] = arch.user_register(sender, StackPointerRegister);
        words[seL4_UserException_FLAGS] = arch.user_register(sender, FlagsRegister);
        words[seL4_UserException_Number] = fault.detail[0];
        words[seL4_UserException_Code] = fault.detail[1];
        return seL4_UserException_Length;
    case FaultKind::VmFault:
        words[seL4_VMFault_IP] = arch.fault_ip(sender);
        words[seL4_VMFault_Addr] = fault.address;
        words[seL4_VMFault_PrefetchFault] = fault.detail[0];
        words[seL4_VMFault_FSR] = fault.detail[1];
        return seL4_VMFault_Length;
    case FaultKind::None:
        break;
    }
    return 0;
}

Word fault_label(FaultKind kind)
{
    switch (kind) {
    case FaultKind::CapFault:
        return seL4_Fault_CapFault;
    case FaultKind::UnknownSyscall:
        return seL4_Fault_UnknownSyscall;
    case FaultKind::UserException:
        return seL4_Fault_UserException;
    case FaultKind::VmFault:
        return seL4_Fault_VMFault;
    case FaultKind::None:
        break;
    }
    return seL4_Fault_NullFault;
}

} // namespace

namespace {

// The fault message of any kind, through the fault_message words. Out of line: its array and
// saved registers would cost the UnknownSyscall's one pass (deliver_fault_message) a prologue.
[[gnu::noinline]] void deliver_fault_words(IpcContext& ctx, Tcb& sender, const PendingFault& fault, Badge badge,
                                           Tcb& receiver)
{
    // Written into the receiver's message registers in one go (one IPC buffer lookup).
    Word words[FaultMessageMax];
    const size_t length = fault_message(ctx.arch, sender, fault, words);
    ctx.arch.set_message_registers(receiver, words, length);
    const Word info = msg_info::Label::set(0, fault_label(fault.kind));
    ctx.arch.set_message_info(receiver, msg_info::Length::set(info, length));
    ctx.arch.set_badge(receiver, badge);
}

} // namespace

void deliver_fault_message(IpcContext& ctx, Tcb& sender, const PendingFault& fault, Badge badge, Tcb& receiver)
{
    // The POSIX personality's every system call: the architecture's one pass when it can.
    if (fault.kind == FaultKind::UnknownSyscall &&
        ctx.arch.set_syscall_fault_message(sender, receiver, fault.detail[0], SyscallFaultInfo, badge)) [[likely]]
        return;
    deliver_fault_words(ctx, sender, fault, badge, receiver);
}

void do_ipc_transfer(IpcContext& ctx, Tcb& sender, Endpoint* endpoint, Badge badge, Grant grant,
                     Tcb& receiver)
{
    if (sender.thread.fault.kind == FaultKind::None)
        do_normal_transfer(ctx, sender, endpoint, badge, grant, receiver);
    else
        deliver_fault_message(ctx, sender, sender.thread.fault, badge, receiver);
}

namespace {

// handle_fault_reply for any reply, word by word through the general register calls. Out of
// line, as deliver_fault_words is.
[[gnu::noinline]] bool apply_fault_reply_words(ArchThread& arch, Tcb& faulted, Tcb& replier, Word info)
{
    const Word label = msg_info::Label::get(info);
    size_t length = arch.clamp_message_length(replier, min_size(msg_info::Length::get(info), seL4_MsgMaxLength));
    // Every word a fault reply can use, read once (one IPC buffer lookup); the rest are unused.
    Word sent[FaultMessageMax] = {};
    arch.read_message_registers(replier, sent, min_size(length, FaultMessageMax));
    // The registers the reply writes, gathered for one call (only those named in `which` are
    // read, so the rest need no zeroing).
    Word values[FrameRegisterCount];
    uint32_t which = 0;
    auto write = [&](UserRegister reg, Word value) {
        values[size_t(reg)] = value;
        which |= register_bit(reg);
    };
    switch (faulted.thread.fault.kind) {
    case FaultKind::UnknownSyscall:
        // seL4 copyMRsFaultReply: only a zero label writes registers back, and only those sent.
        if (label == 0) {
            // Unrolled: the register numbers are constants (short replies, no buffer).
            [&]<size_t... I>(std::index_sequence<I...>) {
                ((I < length ? write(SyscallMessageRegisters[I], sent[I]) : void()), ...);
            }(std::make_index_sequence<SyscallMessageRegisterCount>{});
            if (length > seL4_UnknownSyscall_FaultIP)
                arch.set_fault_ip(faulted, sent[seL4_UnknownSyscall_FaultIP]);
            if (length > seL4_UnknownSyscall_SP)
                write(StackPointerRegister, sent[seL4_UnknownSyscall_SP]);
            if (length > seL4_UnknownSyscall_FLAGS)
                write(FlagsRegister, sent[seL4_UnknownSyscall_FLAGS]);
            arch.set_frame_registers(faulted, values, which);
        }
        return label == 0;
    case FaultKind::UserException:
        if (label == 0) {
            if (length > seL4_UserException_FaultIP)
                arch.set_fault_ip(faulted, sent[seL4_UserException_FaultIP]);
            if (length > seL4_UserException_SP)
                write(StackPointerRegister, sent[seL4_UserException_SP]);
            if (length > seL4_UserException_FLAGS)
                write(FlagsRegister, sent[seL4_UserException_FLAGS]);
            arch.set_frame_registers(faulted, values, which);
        }
        return label == 0;
    case FaultKind::CapFault:
    case FaultKind::VmFault:
    case FaultKind::None:
        break;
    }
    // Capability and VM faults always restart: the handler fixed the cause (seL4 faults.c).
    return true;
}

} // namespace

bool handle_fault_reply(IpcContext& ctx, Tcb& faulted, Tcb& replier)
{
    ArchThread& arch = ctx.arch;
    const Word info = arch.message_info(replier);
    // An emulator's answer to a system call (the POSIX server's every reply, a VMM's from
    // FaultIP on): the words the reply sends, in the architecture's one pass from the message
    // to the registers.
    if (takes_syscall_reply_pass(faulted, MessageInfo{info}) &&
        arch.apply_syscall_fault_reply(replier, faulted, msg_info::Length::get(info)))
        [[likely]]
        return true;
    return apply_fault_reply_words(arch, faulted, replier, info);
}

} // namespace tessera::core
