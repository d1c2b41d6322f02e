// The portable IPC core's view of an x86_64 thread (core::ArchThread, defined at link time by
// thread/arch_thread.cc): seL4's x86_64 register convention (badge in rdi, message info in rsi, MR0..MR3 in r10, r8, r9, r15, the rest in the
// IPC buffer) over the frame kept in the TCB's arch area.
#pragma once

#include "arch/x86_64/context.h"
#include "arch/x86_64/thread.h"
#include "base/context.h"
#include "cap/cap_arch_kinds.h"
#include "tcb/arch_thread.h"

namespace tessera::x86_64 {

// The kernel's one ArchThread object (boot/kernel_objects.cc). x86_64 keeps every thread's state
// in its TCB, so the class adds nothing; thread/arch_thread.cc defines core::ArchThread's members,
// the definitions the kernel links (STYLE rule 9).
class X86ArchThread final : public core::ArchThread {};

// The thread's IPC buffer as the kernel reaches it through the direct map (seL4
// lookupIPCBuffer): the frame in its Buffer slot at the offset of its buffer address, or null
// when that slot holds no RAM frame the access is allowed on.
enum class BufferAccess { Read, Write };
core::Word* ipc_buffer_words(core::Tcb& tcb, BufferAccess access);

// Message registers that travel in registers, in order.
inline constexpr size_t RegisterMessageWords = 4;
uint64_t& register_message_word(SavedRegisters& registers, size_t index);

// The buffer decoded from the Buffer slot's frame capability: none unless it is a RAM frame the
// access is allowed on. Out of line: the cache answers for all but a thread's first message
// after its buffer changed.
core::FoundIpcBuffer decode_ipc_buffer(const core::CoreContext& ctx, core::Cap cap, core::Word address);

// ipc_buffer_words, inline for the IPC fastpath's message delivery: the thread's cached buffer
// when its Buffer slot and buffer address are those it was found from (core/ipc/ipc_buffer_cache.h).
[[gnu::always_inline]] inline core::Word* find_ipc_buffer(const core::CoreContext& ctx, core::Tcb& tcb, BufferAccess access)
{
    const core::Cap cap = tcb.slot(core::TcbSlot::Buffer).cap;
    const core::Word address = tcb.thread.ipc_buffer.raw();
    return arch_of(tcb).ipc_buffer.lookup(cap, address, access == BufferAccess::Write,
                                          [&] { return decode_ipc_buffer(ctx, cap, address); });
}

// Message registers 0..count-1 of the four that travel in registers (r10, r8, r9, r15). Only
// those the length covers: the receiver's others keep its own values, as seL4's copyMRs and
// fastpath_copy_mrs leave them (sel4bench keeps a system-call number in r8 across an empty
// ReplyRecv).
[[gnu::always_inline]] inline void copy_register_words(const SavedRegisters& source, SavedRegisters& destination, size_t count)
{
    if (count == 0) // the common empty message: one test, not the switch's chain
        return;
    switch (count < RegisterMessageWords ? count : RegisterMessageWords) {
    case 4: destination.r15 = source.r15; [[fallthrough]];
    case 3: destination.r9 = source.r9; [[fallthrough]];
    case 2: destination.r8 = source.r8; [[fallthrough]];
    case 1: destination.r10 = source.r10; [[fallthrough]];
    default: break;
    }
}

// Message registers RegisterMessageWords..count-1, from one IPC buffer to another.
// Two words a turn: a loop's own compare and branch then cost half an instruction each per word.
// Always inline: the flat fastpath's object may define no function but its entries
// (kernel.fastpath_entry_defines_only_entries).
[[gnu::always_inline]] inline void copy_buffer_words(const core::Word* in, core::Word* out, size_t count)
{
    size_t i = RegisterMessageWords;
    for (; i + 2 <= count; i += 2) {
        out[1 + i] = in[1 + i]; // msg[i] follows the tag word
        out[2 + i] = in[2 + i];
    }
    if (i < count)
        out[1 + i] = in[1 + i];
}

// deliver_buffer_words when a side's buffer is not the cached one: found (and remembered) first
// (arch_thread.cc).
bool deliver_buffer_words_found(const core::CoreContext& ctx, core::Tcb& from, core::Tcb& to, size_t count);

// Message registers past the registers, 4..count-1, from one thread's IPC buffer to the
// other's; false, with nothing written, when a side has no buffer. Both cached buffers are
// checked before anything is copied; any miss goes the long way. Inline: as a call, the flat
// fastpath (whose registers are all call-clobbered) saved and restored six registers around it.
[[gnu::always_inline]] inline bool deliver_buffer_words(const core::CoreContext& ctx, core::Tcb& from, core::Tcb& to,
                                                        size_t count)
{
    const core::IpcBufferCache& in = arch_of(from).ipc_buffer;
    const core::IpcBufferCache& out = arch_of(to).ipc_buffer;
    if (!in.holds(from.slot(core::TcbSlot::Buffer).cap, from.thread.ipc_buffer.raw()) ||
        !out.holds(to.slot(core::TcbSlot::Buffer).cap, to.thread.ipc_buffer.raw()) || in.words == nullptr ||
        out.words == nullptr) [[unlikely]]
        return deliver_buffer_words_found(ctx, from, to, count);
    copy_buffer_words(in.words, out.words, count);
    return true;
}

// ArchThread::deliver_message, inline for the flat fastpath: message registers 0..count-1, the
// info word (rsi) and the badge (rdi). False, with nothing written, when the message is longer
// than the registers and a side has no IPC buffer.
[[gnu::always_inline]] inline bool deliver_message_words(const core::CoreContext& ctx, core::Tcb& from,
                                                         core::Tcb& to, size_t count, core::Word info,
                                                         core::Badge badge)
{
    if (count > RegisterMessageWords && !deliver_buffer_words(ctx, from, to, count)) [[unlikely]]
        return false;
    SavedRegisters& destination = registers_of(to);
    copy_register_words(registers_of(from), destination, count);
    destination.rsi = info;
    destination.rdi = badge.raw();
    return true;
}

} // namespace tessera::x86_64
