// The rt_sigframe's layout and rules are Linux's (arch/x86/kernel/signal.c): 128 bytes of red zone
// skipped, the frame aligned so that the handler starts as if called (rsp + 8 a multiple of 16),
// and, with a trampoline, the FPU and SSE state saved below the red zone by the thread itself
// (an fxsave image, 64-aligned as Linux's, the frame below it).
#include "core/signal/signal_frame.h"

#include <stddef.h>
#include <string.h>

#include "linux/call_numbers.h"
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

constexpr uint32_t FpStateOffset = uint32_t(offsetof(linux::UContext, context) +
                                             offsetof(linux::SigContext, fpstate));
static_assert(FpStateOffset == 0xe0);
constexpr uint64_t MxcsrOffset = 24; // in the fxsave image
constexpr uint32_t MxcsrDefined = 0xffff;

} // namespace

// Machine code (see the header); the displacement of the first instruction is FpStateOffset.
// No iretq in the return half: QEMU's TCG pops iretq's frame with supervisor accesses, which
// SMAP refuses on a user stack (a page fault the server finds nothing to resolve, for ever).
const uint8_t SignalTrampoline::code[64] = {
    0x4c, 0x8b, 0x9a, 0xe0, 0x00, 0x00, 0x00, // mov r11, [rdx + 0xe0]: uc_mcontext.fpstate
    0x49, 0x0f, 0xae, 0x03,                   // fxsave64 [r11]
    0x49, 0x89, 0xc3,                         // mov r11, rax: the handler
    0x31, 0xc0,                               // xor eax, eax
    0x41, 0xff, 0xe3,                         // jmp r11
    0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, // int3 to 32
    0x48, 0x0f, 0xae, 0x0f,                   // fxrstor64 [rdi]: the fpstate
    0x0f, 0x05,                               // syscall: rt_sigreturn's second half (rax 15)
    0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, // int3 to 64
    0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
};

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
    uint64_t top = delivery.stack.frame_top(sp - RedZone, sp, delivery.action.flags);
    if (delivery.trampoline != 0) { // the FPU state's room first, as Linux's get_sigframe
        const uint64_t fpstate = (top - SignalTrampoline::FpStateSize) & ~uint64_t(63);
        if (fpstate > top)
            return Errno::Fault;
        POSIX_CHECK(space.fill(fpstate, 0, SignalTrampoline::FpStateSize));
        frame.context.context.fpstate = fpstate;
        top = fpstate;
    }
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
    if (delivery.trampoline != 0) { // through the trampoline, which saves the FPU state
        at(handler, seL4_UnknownSyscall_RAX) = delivery.action.handler;
        at(handler, seL4_UnknownSyscall_FaultIP) = delivery.trampoline + SignalTrampoline::Enter;
    }
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
    restored.fpstate = c.fpstate;
    return restored;
}

Result<UserRegisters> return_through(AddressSpace& space, const Restored& restored,
                                     uint64_t trampoline)
{
    const uint64_t fpstate = restored.fpstate;
    if (trampoline == 0 || fpstate == 0 || (fpstate & 15) != 0)
        return restored.registers;
    // fxrstor faults on an MXCSR with reserved bits set: keep the defined ones (Linux checks it
    // against the CPU's mask the same way). The whole image must be there.
    uint8_t image[SignalTrampoline::FpStateSize];
    POSIX_CHECK(space.read(fpstate, image, sizeof image));
    uint32_t mxcsr = 0;
    memcpy(&mxcsr, image + MxcsrOffset, sizeof mxcsr);
    mxcsr &= MxcsrDefined;
    POSIX_CHECK(space.write(fpstate + MxcsrOffset, &mxcsr, sizeof mxcsr));
    // The frame's registers otherwise, so that a fault in fxrstor reports the program's stack.
    UserRegisters through = restored.registers;
    at(through, seL4_UnknownSyscall_FaultIP) = trampoline + SignalTrampoline::Return;
    at(through, seL4_UnknownSyscall_RDI) = fpstate;
    at(through, seL4_UnknownSyscall_RAX) = linux::nr::RtSigreturn;
    return through;
}

} // namespace tessera::posix
