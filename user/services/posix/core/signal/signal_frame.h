// Delivering a signal to a handler as Linux does on x86_64: an rt_sigframe (the restorer as return
// address, a ucontext with the interrupted registers and blocked mask, the siginfo) pushed below
// the interrupted stack's red zone, and the registers that enter the handler; and rt_sigreturn,
// which takes the frame back. The registers are those of a system call's fault message and
// reply (seL4's UnknownSyscall layout): every general register, the instruction, stack pointer
// and flags, so a signal can be delivered whenever a program is in a system call.
#pragma once

#include <stdint.h>

#include "core/result.h"
#include "core/signal/alternate_stack.h"
#include "core/syscall/linux_call.h"
#include "core/vm/address_space.h"
#include "linux/structures.h"

namespace tessera::posix {

// A thread's user registers in the fault message's order (rax ... r15, FaultIP, SP, FLAGS).
struct UserRegisters {
    uint64_t words[ReplyWords] = {};
};

// The registers a call's reply resumes the program with.
UserRegisters registers_after(const LinuxCall& call, int64_t result);
// Resuming the program at its `syscall` instruction with the call's number in rax: the call is
// made again (a blocked call interrupted by a handler with SA_RESTART).
UserRegisters registers_restarting(const LinuxCall& call);

// The code the server maps into every address space that takes a handler (docs/posix.md,
// "Signals"): the thread saves and loads its own FPU and SSE state, which the server cannot read.
// Enter: fxsave64 into the frame's fpstate (the ucontext in rdx names it), then jump to the
// handler (in rax), rax 0. Return: fxrstor64 from the fpstate (in rdi), then `syscall` with
// rax = rt_sigreturn at Finish: the server answers it with the frame's registers, kept aside
// (one more round trip; the thread's FPU state is its own across it).
struct SignalTrampoline {
    static constexpr uint64_t Enter = 0, Return = 32, Finish = Return + 4;
    static constexpr uint64_t FpStateSize = 512; // the fxsave image (struct _fpstate_64)
    static const uint8_t code[64];
};

struct SignalDelivery {
    linux::KernelSigaction action; // the handler's; SA_RESTORER's restorer is the return address
    linux::SigInfo info;
    uint64_t saved_mask; // the blocked mask to restore when the handler returns
    AlternateStack stack; // the thread's sigaltstack: the frame goes there under SA_ONSTACK
    // A fault's trap number, error code and address, for the frame's sigcontext.
    uint64_t trap_number = 0, error = 0, cr2 = 0;
    // Where SignalTrampoline's code is mapped: the frame then has room for the FPU state and the
    // thread saves it on its way to the handler (0: neither, fpstate null).
    uint64_t trampoline = 0;
};

// Pushes the frame on the interrupted stack (or the alternate one): the registers that enter the
// handler (rdi = the signal, rsi = the siginfo, rdx = the ucontext, rsp = the frame, rip = the
// handler). EFAULT when the stack cannot take the frame (Linux then kills with SIGSEGV).
Result<UserRegisters> push_signal_frame(AddressSpace& space, const UserRegisters& interrupted,
                                        const SignalDelivery& delivery);

struct Restored {
    UserRegisters registers;
    uint64_t mask; // the blocked mask the frame saved
    linux::StackT stack; // the alternate stack the frame saved (sigreturn sets it again)
    uint64_t fpstate;    // where the frame says the FPU state is (0: none)
};
// rt_sigreturn from `at_call` (the handler's return popped the return address, so the ucontext
// is at the stack pointer): the registers the frame saved (flags only in their user-changeable
// bits) and its mask. EFAULT when the frame cannot be read.
Result<Restored> pop_signal_frame(AddressSpace& space, const UserRegisters& at_call);
// The registers that resume rt_sigreturn's caller in the trampoline's return half (mapped at
// `trampoline`): the restored ones with rip there, rdi = the fpstate and rax = rt_sigreturn, the
// frame's MXCSR kept to its defined bits. Without a trampoline or an fpstate (null or not
// 16-aligned, as a handler may leave it), the restored registers as they are (nothing to
// finish). EFAULT when the fpstate cannot be read or written.
Result<UserRegisters> return_through(AddressSpace& space, const Restored& restored,
                                     uint64_t trampoline);

} // namespace tessera::posix
