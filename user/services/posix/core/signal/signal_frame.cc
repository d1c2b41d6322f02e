// The rt_sigframe's layout and rules are Linux's (arch/x86/kernel/signal.c): 128 bytes of red zone
// skipped, the frame aligned so that the handler starts as if called (rsp + 8 a multiple of 16),
// no FPU state saved (fpstate null: the server cannot read another thread's FPU registers; at a
// system call the C ABI keeps no live vector state the handler could clobber in C code).
#include "core/signal/signal_frame.h"

#include <stddef.h>

#include "linux/constants.h"

namespace tessera::posix {

namespace {

constexpr uint64_t RedZone = 128;
// RFLAGS bits a signal frame may change (Linux's FIX_EFLAGS): AC, OF, DF, TF, SF, ZF, AF, PF, CF, RF.
constexpr uint64_t UserFlags = 0x50dd5;
// Cleared on entry to a handler: the trap and direction flags (the ABI wants DF clear).
constexpr uint64_t HandlerClearedFlags = 0x100 | 0x400;
// uc_flags: the frame holds the stack segment and sigreturn restores it strictly (as Linux sets).
constexpr uint64_t ContextFlags = 0x2 | 0x4;
constexpr uint16_t UserCode = 0x33, UserData = 0x2b;

uint64_t& at(UserRegisters& r, unsigned index)
{
    return r.words[index];
}

uint64_t get(const UserRegisters& r, unsigned index)
{
    return r.words[index];
}

linux::SigContext context_of(const UserRegisters& r)
{
    linux::SigContext c{};
    c.r8 = get(r, seL4_UnknownSyscall_R8);
    c.r9 = get(r, seL4_UnknownSyscall_R9);
    c.r10 = get(r, seL4_UnknownSyscall_R10);
    c.r11 = get(r, seL4_UnknownSyscall_R11);
    c.r12 = get(r, seL4_UnknownSyscall_R12);
    c.r13 = get(r, seL4_UnknownSyscall_R13);
    c.r14 = get(r, seL4_UnknownSyscall_R14);
    c.r15 = get(r, seL4_UnknownSyscall_R15);
    c.rdi = get(r, seL4_UnknownSyscall_RDI);
    c.rsi = get(r, seL4_UnknownSyscall_RSI);
    c.rbp = get(r, seL4_UnknownSyscall_RBP);
    c.rbx = get(r, seL4_UnknownSyscall_RBX);
    c.rdx = get(r, seL4_UnknownSyscall_RDX);
    c.rax = get(r, seL4_UnknownSyscall_RAX);
    c.rcx = get(r, seL4_UnknownSyscall_RCX);
    c.rsp = get(r, seL4_UnknownSyscall_SP);
    c.rip = get(r, seL4_UnknownSyscall_FaultIP);
    c.eflags = get(r, seL4_UnknownSyscall_FLAGS);
    c.cs = UserCode;
    c.ss = UserData;
    return c;
}

} // namespace

UserRegisters registers_after(const LinuxCall& call, int64_t result)
{
    UserRegisters r;
    encode_linux_reply(call, result, r.words);
    return r;
}

UserRegisters registers_restarting(const LinuxCall& call)
{
    UserRegisters r = registers_after(call, int64_t(call.number));
    at(r, seL4_UnknownSyscall_FaultIP) = call.instruction();
    return r;
}

Result<UserRegisters> push_signal_frame(AddressSpace& space, const UserRegisters& interrupted,
                                        const SignalDelivery& delivery)
{
    if (!(delivery.action.flags & linux::signal::Restorer))
        return Errno::Fault; // x86_64 Linux needs SA_RESTORER: without it there is no way back
    linux::RtSigFrame frame{};
    frame.return_address = delivery.action.restorer;
    frame.context.flags = ContextFlags;
    const uint64_t sp = get(interrupted, seL4_UnknownSyscall_SP);
    frame.context.stack = delivery.stack.describe(sp);
    frame.context.context = context_of(interrupted);
    frame.context.context.old_mask = delivery.saved_mask;
    frame.context.context.trap_number = delivery.trap_number;
    frame.context.context.error = delivery.error;
    frame.context.context.cr2 = delivery.cr2;
    frame.context.signal_mask = delivery.saved_mask;
    frame.info = delivery.info;
    const uint64_t top = delivery.stack.frame_top(sp - RedZone, sp, delivery.action.flags);
    const uint64_t address = ((top - sizeof frame) & ~uint64_t(15)) - 8;
    if (address > top)
        return Errno::Fault; // the stack pointer wrapped below zero
    POSIX_CHECK(space.write(address, &frame, sizeof frame));
    UserRegisters handler = interrupted;
    at(handler, seL4_UnknownSyscall_RDI) = uint64_t(delivery.info.signo);
    at(handler, seL4_UnknownSyscall_RSI) = address + offsetof(linux::RtSigFrame, info);
    at(handler, seL4_UnknownSyscall_RDX) = address + offsetof(linux::RtSigFrame, context);
    at(handler, seL4_UnknownSyscall_RAX) = 0; // no vector registers used by a variadic call
    at(handler, seL4_UnknownSyscall_SP) = address;
    at(handler, seL4_UnknownSyscall_FaultIP) = delivery.action.handler;
    at(handler, seL4_UnknownSyscall_FLAGS) =
        get(interrupted, seL4_UnknownSyscall_FLAGS) & ~HandlerClearedFlags;
    return handler;
}

Result<Restored> pop_signal_frame(AddressSpace& space, const UserRegisters& at_call)
{
    linux::UContext context{};
    POSIX_CHECK(space.read(get(at_call, seL4_UnknownSyscall_SP), &context, sizeof context));
    const linux::SigContext& c = context.context;
    Restored restored;
    UserRegisters& r = restored.registers;
    at(r, seL4_UnknownSyscall_R8) = c.r8;
    at(r, seL4_UnknownSyscall_R9) = c.r9;
    at(r, seL4_UnknownSyscall_R10) = c.r10;
    at(r, seL4_UnknownSyscall_R11) = c.r11;
    at(r, seL4_UnknownSyscall_R12) = c.r12;
    at(r, seL4_UnknownSyscall_R13) = c.r13;
    at(r, seL4_UnknownSyscall_R14) = c.r14;
    at(r, seL4_UnknownSyscall_R15) = c.r15;
    at(r, seL4_UnknownSyscall_RDI) = c.rdi;
    at(r, seL4_UnknownSyscall_RSI) = c.rsi;
    at(r, seL4_UnknownSyscall_RBP) = c.rbp;
    at(r, seL4_UnknownSyscall_RBX) = c.rbx;
    at(r, seL4_UnknownSyscall_RDX) = c.rdx;
    at(r, seL4_UnknownSyscall_RAX) = c.rax;
    at(r, seL4_UnknownSyscall_RCX) = c.rcx;
    at(r, seL4_UnknownSyscall_SP) = c.rsp;
    at(r, seL4_UnknownSyscall_FaultIP) = c.rip;
    at(r, seL4_UnknownSyscall_FLAGS) = (get(at_call, seL4_UnknownSyscall_FLAGS) & ~UserFlags) |
                                       (c.eflags & UserFlags);
    restored.mask = context.signal_mask;
    restored.stack = context.stack;
    return restored;
}

} // namespace tessera::posix
