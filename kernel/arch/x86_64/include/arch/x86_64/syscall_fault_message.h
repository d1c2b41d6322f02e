// seL4's UnknownSyscall fault message (abi/faults.h) written in one pass from the faulting
// thread's frame into the handler's message registers and IPC buffer, and the handler's reply
// read back into the frame the same way: each word a constant offset on both sides, with no
// array between. A POSIX program's every system call sends one and gets one.
// ArchThread::set_syscall_fault_message and apply_syscall_fault_reply (thread/arch_thread.cc)
// and the flat fault fastpaths (syscall/fastpath_entry.cc), which have them inline with the rest
// of their paths, all go through here.
#pragma once

#include <tessera/abi/faults.h>

#include <utility>

#include "arch/x86_64/arch_thread.h"

namespace tessera::x86_64 {

// Each frame register's place in the saved frame, in UserRegister order.
inline constexpr uint64_t SavedRegisters::* FrameSlots[core::FrameRegisterCount] = {
    &SavedRegisters::rip, &SavedRegisters::rsp, &SavedRegisters::rflags, &SavedRegisters::rax,
    &SavedRegisters::rbx, &SavedRegisters::rcx, &SavedRegisters::rdx,    &SavedRegisters::rsi,
    &SavedRegisters::rdi, &SavedRegisters::rbp, &SavedRegisters::r8,     &SavedRegisters::r9,
    &SavedRegisters::r10, &SavedRegisters::r11, &SavedRegisters::r12,    &SavedRegisters::r13,
    &SavedRegisters::r14, &SavedRegisters::r15,
};

// `from`'s message (SyscallMessageRegisters, its fault IP, RSP, RFLAGS, then `number`) into
// `to`, whose IPC buffer is `buffer` (not null): words 0..3 in its message registers, the rest
// in the buffer, with message info `info` and `badge` in their registers. Always inline: the
// flat fastpath's object may define no function but its entries.
[[gnu::always_inline]] inline void write_syscall_fault_message(core::Tcb& from, core::Tcb& to, core::Word* buffer,
                                                               core::Word number, core::Word info, core::Badge badge)
{
    using core::SyscallMessageRegisters;
    const SavedRegisters& in = registers_of(from);
    core::Word* const message = buffer + 1; // msg[i] follows the tag word
    [&]<size_t... I>(std::index_sequence<I...>) {
        ((message[RegisterMessageWords + I] =
              in.*FrameSlots[size_t(SyscallMessageRegisters[RegisterMessageWords + I])]),
         ...);
    }(std::make_index_sequence<core::SyscallMessageRegisterCount - RegisterMessageWords>{});
    message[seL4_UnknownSyscall_FaultIP] = fault_ip_of(arch_of(from));
    message[seL4_UnknownSyscall_SP] = in.rsp;
    message[seL4_UnknownSyscall_FLAGS] = in.rflags;
    message[seL4_UnknownSyscall_Syscall] = number;
    // The four register words last: `to` is never `from`, but the compiler cannot know it.
    SavedRegisters& out = registers_of(to);
    const core::Word first[RegisterMessageWords] = {
        in.*FrameSlots[size_t(SyscallMessageRegisters[0])], in.*FrameSlots[size_t(SyscallMessageRegisters[1])],
        in.*FrameSlots[size_t(SyscallMessageRegisters[2])], in.*FrameSlots[size_t(SyscallMessageRegisters[3])]};
    out.r10 = first[0];
    out.r8 = first[1];
    out.r9 = first[2];
    out.r15 = first[3];
    out.rsi = info; // set_message_info's and set_badge's registers, in the same pass
    out.rdi = badge.raw();
}

// seL4 copyMRsFaultReply for an UnknownSyscall reply of `length` words (label 0, at least up
// to FaultIP) from `replier`, whose IPC buffer is `buffer` (not null), into `faulted`: every
// register its words name and the fault IP (SP and FLAGS when the reply reaches them), RIP and
// RFLAGS sanitised as a register write from outside is (seL4 sanitiseRegister).
[[gnu::always_inline]] inline void read_syscall_fault_reply(core::Tcb& replier, core::Tcb& faulted,
                                                            const core::Word* buffer, size_t length)
{
    using core::SyscallMessageRegisters;
    const SavedRegisters& in = registers_of(replier);
    const core::Word* const message = buffer + 1;
    const core::Word first[RegisterMessageWords] = {in.r10, in.r8, in.r9, in.r15};
    SavedRegisters& out = registers_of(faulted);
    [&]<size_t... I>(std::index_sequence<I...>) {
        ((out.*FrameSlots[size_t(SyscallMessageRegisters[I])] = I < RegisterMessageWords ? first[I] : message[I]),
         ...);
    }(std::make_index_sequence<core::SyscallMessageRegisterCount>{});
    // A reply ending at FaultIP (or SP) leaves the registers past it as they are.
    if (length > seL4_UnknownSyscall_SP) [[likely]]
        out.rsp = message[seL4_UnknownSyscall_SP];
    if (length > seL4_UnknownSyscall_FLAGS) [[likely]]
        out.rflags = (message[seL4_UnknownSyscall_FLAGS] & rflags::UserModifiable) | rflags::UserInitial;
    // seL4 writes FaultIP and then sets NextIP from it (ArchThread::set_fault_ip).
    const core::Word ip = message[seL4_UnknownSyscall_FaultIP];
    out.rip = is_canonical(ip) ? ip : 0;
    set_fault_ip_of(arch_of(faulted), out.rip);
}

} // namespace tessera::x86_64
