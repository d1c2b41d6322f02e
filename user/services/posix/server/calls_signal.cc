// Signals: dispositions (rt_sigaction), the blocked mask (rt_sigprocmask), pending signals, kill,
// tkill and tgkill, SIGPIPE and SIGCHLD, default actions (terminate, ignore), and handlers: a
// handler runs when its process returns from a system call (core/signal/signal_frame), so a
// process blocked in the server is interrupted at once (EINTR, or its call made again under
// SA_RESTART), while one running its own code sees the signal at its next system call (the
// server does not stop a running thread). A fault of the program's own code (SIGSEGV, SIGBUS,
// SIGFPE, SIGILL, SIGTRAP) runs its handler at once, the thread's registers read and written
// through its TCB. pause and rt_sigsuspend wait for a handler; rt_sigreturn takes its frame
// back; sigaltstack gives handlers with SA_ONSTACK their own stack.
#include <stdio.h>

#include <sel4/sel4.h>

#include "core/time/timeout.h"
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

using namespace linux::signal;

constexpr uint64_t SignalSetSize = 8;

// Linux's default action for `signal` ignores it (SIGCHLD, SIGURG, SIGWINCH, SIGCONT) or stops
// the process (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: no job control yet, so ignored too); every
// other one terminates it.
bool ignored_by_default(int signal)
{
    return signal == Chld || signal == Urg || signal == Winch || signal == Cont || signal == Stop ||
           signal == Tstp || signal == Ttin || signal == Ttou;
}

uint64_t bit(int signal)
{
    return uint64_t{1} << (signal - 1);
}

// Calls that a handler with SA_RESTART does not make again (Linux's ERESTARTNOHAND and
// restart-block calls): they end with EINTR whatever the flags.
bool never_restarted(uint64_t number)
{
    namespace nr = linux::nr;
    return number == nr::Nanosleep || number == nr::ClockNanosleep || number == nr::Poll ||
           number == nr::Ppoll || number == nr::Select || number == nr::Pselect6 ||
           number == nr::Pause || number == nr::RtSigsuspend || number == nr::Msgsnd ||
           number == nr::Msgrcv || number == nr::Semop || number == nr::Semtimedop;
}

// FUTEX_LOCK_PI and LOCK_PI2 are made again after any handler (Linux's ERESTARTNOINTR).
bool always_restarted(const LinuxCall& call)
{
    const int32_t command = int32_t(call.args[1]) & linux::futex_op::CommandMask;
    return call.number == linux::nr::Futex &&
           (command == linux::futex_op::LockPi || command == linux::futex_op::LockPi2);
}

bool has_handler(const linux::KernelSigaction& action)
{
    return action.handler != DefaultHandler && action.handler != IgnoreHandler;
}

// Pushes the frame of `signal`'s handler (its siginfo in `delivery`) on `registers`, which then
// enter the handler, and blocks what the action blocks: false when the frame does not fit.
bool enter_handler(Process& process, int signal, SignalDelivery& delivery, UserRegisters& registers)
{
    const linux::KernelSigaction action = process.actions[signal];
    delivery.action = action;
    delivery.saved_mask = process.restore_mask ? process.mask_before_suspend : process.signal_mask;
    delivery.stack = process.alternate_stack;
    auto pushed = push_signal_frame(*process.space, registers, delivery);
    if (!pushed)
        return false;
    registers = pushed.value();
    process.restore_mask = false;
    // SS_AUTODISARM: the stack is given up while a handler runs on it (sigreturn sets it back).
    if (process.alternate_stack.flags & StackAutoDisarm)
        process.alternate_stack = {};
    process.signal_mask |= action.mask | ((action.flags & NoDefer) ? 0 : bit(signal));
    process.signal_mask &= ~(bit(Kill) | bit(Stop));
    return true;
}

// The registers of a thread stopped by a fault (TCB_ReadRegisters' layout) in the system call
// message's order, and back (the TLS bases unchanged).
UserRegisters registers_of(const seL4_UserContext& c)
{
    UserRegisters r;
    uint64_t* w = r.words;
    w[seL4_UnknownSyscall_RAX] = c.rax;
    w[seL4_UnknownSyscall_RBX] = c.rbx;
    w[seL4_UnknownSyscall_RCX] = c.rcx;
    w[seL4_UnknownSyscall_RDX] = c.rdx;
    w[seL4_UnknownSyscall_RSI] = c.rsi;
    w[seL4_UnknownSyscall_RDI] = c.rdi;
    w[seL4_UnknownSyscall_RBP] = c.rbp;
    w[seL4_UnknownSyscall_R8] = c.r8;
    w[seL4_UnknownSyscall_R9] = c.r9;
    w[seL4_UnknownSyscall_R10] = c.r10;
    w[seL4_UnknownSyscall_R11] = c.r11;
    w[seL4_UnknownSyscall_R12] = c.r12;
    w[seL4_UnknownSyscall_R13] = c.r13;
    w[seL4_UnknownSyscall_R14] = c.r14;
    w[seL4_UnknownSyscall_R15] = c.r15;
    w[seL4_UnknownSyscall_FaultIP] = c.rip;
    w[seL4_UnknownSyscall_SP] = c.rsp;
    w[seL4_UnknownSyscall_FLAGS] = c.rflags;
    return r;
}

void set_context(seL4_UserContext& c, const UserRegisters& r)
{
    const uint64_t* w = r.words;
    c.rax = w[seL4_UnknownSyscall_RAX];
    c.rbx = w[seL4_UnknownSyscall_RBX];
    c.rcx = w[seL4_UnknownSyscall_RCX];
    c.rdx = w[seL4_UnknownSyscall_RDX];
    c.rsi = w[seL4_UnknownSyscall_RSI];
    c.rdi = w[seL4_UnknownSyscall_RDI];
    c.rbp = w[seL4_UnknownSyscall_RBP];
    c.r8 = w[seL4_UnknownSyscall_R8];
    c.r9 = w[seL4_UnknownSyscall_R9];
    c.r10 = w[seL4_UnknownSyscall_R10];
    c.r11 = w[seL4_UnknownSyscall_R11];
    c.r12 = w[seL4_UnknownSyscall_R12];
    c.r13 = w[seL4_UnknownSyscall_R13];
    c.r14 = w[seL4_UnknownSyscall_R14];
    c.r15 = w[seL4_UnknownSyscall_R15];
    c.rip = w[seL4_UnknownSyscall_FaultIP];
    c.rsp = w[seL4_UnknownSyscall_SP];
    c.rflags = w[seL4_UnknownSyscall_FLAGS];
}

} // namespace

bool Server::send_signal(Process& target, int signal, Process::Sender sender)
{
    if (signal == Stop)
        return false; // no job control yet
    if (signal != Kill) {
        const uint64_t handler = target.actions[signal].handler;
        if (handler == IgnoreHandler || (handler == DefaultHandler && ignored_by_default(signal)))
            return false;
        if (target.signal_mask & bit(signal)) {
            // Pending until unblocked: a process-directed one that every thread blocks (so
            // signal_target chose a blocking thread) waits for whichever thread unblocks it.
            Process* leader = find(target.tgid);
            bool threads = false;
            for (const Process& p : processes_)
                threads = threads || (p.pid != 0 && p.tgid == target.tgid && &p != &target);
            if (sender.process_wide && leader != nullptr && threads) {
                leader->shared_pending |= bit(signal);
                leader->senders[signal] = sender;
                may_share_pending_ = true;
            } else {
                target.pending |= bit(signal);
                target.senders[signal] = sender;
            }
            return false;
        }
        target.pending |= bit(signal);
        target.senders[signal] = sender;
        if (handler != DefaultHandler) {
            if (target.blocked)
                interrupt(target);
            return false;
        }
    }
    end(target, signal & 0x7f);
    return true;
}

Process& Server::signal_target(Process& thread, int signal)
{
    Process* leader = find(thread.tgid);
    Process* running = leader != nullptr && !leader->thread_exited ? leader : nullptr;
    if (running != nullptr && !(running->signal_mask & bit(signal)))
        return *running;
    for (Process& p : processes_) {
        if (p.pid == 0 || p.exited || p.thread_exited || p.tgid != thread.tgid)
            continue;
        if (!(p.signal_mask & bit(signal)))
            return p;
        if (running == nullptr)
            running = &p;
    }
    // Every thread blocks it: it waits on one of them (Linux keeps it for the whole process).
    return running != nullptr ? *running : thread;
}

void Server::claim_shared(Process& thread)
{
    if (!may_share_pending_)
        return;
    Process* leader = find(thread.tgid);
    if (leader == nullptr)
        return;
    const uint64_t taken = leader->shared_pending & ~thread.signal_mask;
    for (uint64_t left = taken; left != 0; left &= left - 1) {
        const int signal = __builtin_ctzll(left) + 1;
        thread.senders[signal] = leader->senders[signal];
    }
    leader->shared_pending &= ~taken;
    thread.pending |= taken;
}

void Server::set_action(Process& process, int signal, const linux::KernelSigaction& action)
{
    for (Process& p : processes_)
        if (p.pid != 0 && p.tgid == process.tgid)
            p.actions[signal] = action;
}

uint64_t Server::signal_trampoline(AddressSpace& space, bool map)
{
    if (signal_code_) {
        for (const Region& r : space.regions())
            if (r.object.get() == signal_code_.get())
                return r.start;
    }
    if (!map)
        return 0;
    if (!signal_code_)
        signal_code_ = FileObject::make(frames_, SignalTrampoline::code,
                                        sizeof SignalTrampoline::code, false);
    if (!signal_code_)
        return 0;
    auto mapped = space.map(0, PageSize, linux::mman::ProtRead | linux::mman::ProtExec, false,
                            signal_code_, 0, AddressSpace::Placement::Hint);
    return mapped ? mapped.value() : 0;
}

bool Server::deliver(Process& process, UserRegisters& registers)
{
    claim_shared(process);
    while (uint64_t ready = process.pending & ~process.signal_mask) {
        const int signal = __builtin_ctzll(ready) + 1;
        process.pending &= ~bit(signal);
        const linux::KernelSigaction action = process.actions[signal];
        if (action.handler == IgnoreHandler ||
            (action.handler == DefaultHandler && ignored_by_default(signal)))
            continue;
        if (action.handler == DefaultHandler) {
            end(process, signal & 0x7f);
            return false;
        }
        SignalDelivery delivery{};
        delivery.trampoline = signal_trampoline(*process.space, true);
        delivery.info.signo = signal;
        delivery.info.code = process.senders[signal].code;
        delivery.info.fields.child.pid = process.senders[signal].pid;
        delivery.info.fields.child.status = process.senders[signal].status;
        if (!enter_handler(process, signal, delivery, registers)) {
            printf("posix: pid %d: no room for signal %d's frame: killed by SIGSEGV\n",
                   process.pid, signal);
            end(process, Segv);
            return false;
        }
        if (action.flags & ResetHand)
            set_action(process, signal, {});
    }
    if (process.restore_mask) {
        process.signal_mask = process.mask_before_suspend;
        process.restore_mask = false;
    }
    return true;
}

void Server::deliver_fault(Process& process, const FaultSignal& fault)
{
    const int signal = fault.signal;
    // Linux's force_sig_info: a fault signal that is blocked or ignored cannot be left pending
    // (the instruction would fault again): its default action, which ends the process.
    if (signal == Kill || (process.signal_mask & bit(signal)) ||
        !has_handler(process.actions[signal])) {
        printf("posix: pid %d killed by signal %d at %#lx (trap %lu)\n", process.pid, signal,
               (unsigned long)fault.address, (unsigned long)fault.trap_number);
        end(process, signal & 0x7f);
        return;
    }
    const seL4_CPtr tcb = libos::raw(process.tcb.cap);
    constexpr seL4_Word Count = sizeof(seL4_UserContext) / sizeof(seL4_Word);
    seL4_UserContext context{};
    if (seL4_TCB_ReadRegisters(tcb, 0, 0, Count, &context) != seL4_NoError) {
        end(process, signal & 0x7f);
        return;
    }
    UserRegisters registers = registers_of(context);
    SignalDelivery delivery{};
    delivery.trampoline = signal_trampoline(*process.space, true);
    delivery.info.signo = signal;
    delivery.info.code = fault.code;
    delivery.info.fields.fault.address = fault.address;
    delivery.trap_number = fault.trap_number;
    delivery.error = fault.error;
    delivery.cr2 = fault.cr2;
    if (!enter_handler(process, signal, delivery, registers)) {
        // Linux's force_sigsegv: no frame, no handler.
        printf("posix: pid %d: no room for signal %d's frame: killed by SIGSEGV\n", process.pid,
               signal);
        end(process, Segv);
        return;
    }
    if (process.actions[signal].flags & ResetHand)
        set_action(process, signal, {});
    // Other signals waiting for it stack their frames on top, as at a system call's return.
    if (!deliver(process, registers))
        return;
    set_context(context, registers);
    if (seL4_TCB_WriteRegisters(tcb, 0, 0, Count, &context) != seL4_NoError) {
        end(process, signal & 0x7f);
        return;
    }
    defer_reply({}, 0); // the fault's empty reply restarts the thread where its registers say
}

void Server::interrupt(Process& process)
{
    const LinuxCall call = process.blocked_call;
    const seL4_CPtr cap = process.reply_cap;
    // The event that brought the signal may have completed the call too (a child's exit ends
    // its parent's wait4 and sends SIGCHLD): then it returns its result and the handler runs.
    int64_t result = dispatch(process, call);
    const uint64_t ready = process.pending & ~process.signal_mask;
    const bool restart = result == Blocked && ready != 0 &&
                         (always_restarted(call) ||
                          (!never_restarted(call.number) &&
                           (process.actions[__builtin_ctzll(ready) + 1].flags & Restart)));
    if (result == Blocked && !restart) {
        result = linux::negative(Errno::Intr);
        // A relative sleep tells what was left of it.
        const uint64_t* a = call.args;
        const uint64_t left_at = call.number == linux::nr::Nanosleep ? a[1]
                                 : call.number == linux::nr::ClockNanosleep &&
                                           !(a[1] & linux::clock_id::AbsoluteTime)
                                     ? a[3]
                                     : 0;
        if (left_at != 0) {
            const linux::Timespec left = remaining(now(), process.deadline);
            (void)process.space->write(left_at, &left, sizeof left);
        }
    }
    process.blocked = false;
    process.reply_cap = 0;
    process.deadline = NoDeadline;
    if (restart)
        resume(process, registers_restarting(call), cap);
    else if (result != NoReply)
        reply(process, call, result, cap);
    else
        drop_reply(cap);
}

int64_t Server::signal_call(Process& process, const LinuxCall& call)
{
    AddressSpace& space = *process.space;
    const uint64_t* a = call.args;
    switch (call.number) {
    case linux::nr::RtSigaction: {
        const int signal = int(a[0]);
        if (signal < 1 || signal > Max || a[3] != SignalSetSize)
            return linux::negative(Errno::Inval);
        linux::KernelSigaction wanted;
        if (a[1] != 0) {
            if (signal == Kill || signal == Stop)
                return linux::negative(Errno::Inval);
            if (auto got = space.read(a[1], &wanted, sizeof wanted); !got)
                return linux_return(got);
        }
        if (a[2] != 0) {
            if (auto put = space.write(a[2], &process.actions[signal], sizeof wanted); !put)
                return linux_return(put);
        }
        if (a[1] != 0)
            set_action(process, signal, wanted);
        return 0;
    }
    case linux::nr::RtSigprocmask: {
        if (a[3] != SignalSetSize)
            return linux::negative(Errno::Inval);
        const uint64_t old = process.signal_mask;
        if (a[1] != 0) {
            uint64_t set = 0;
            if (auto got = space.read(a[1], &set, sizeof set); !got)
                return linux_return(got);
            set &= ~(bit(Kill) | bit(Stop));
            const int32_t how = int32_t(a[0]);
            if (how == Block)
                process.signal_mask |= set;
            else if (how == Unblock)
                process.signal_mask &= ~set;
            else if (how == SetMask)
                process.signal_mask = set;
            else
                return linux::negative(Errno::Inval);
        }
        if (a[2] != 0)
            return linux_return(space.write(a[2], &old, sizeof old));
        return 0;
    }
    case linux::nr::RtSigreturn: {
        const uint64_t trampoline = signal_trampoline(space, false);
        if (process.returning_from_signal) { // the second half: the FPU state is loaded
            process.returning_from_signal = false;
            if (trampoline != 0 && call.instruction() == trampoline + SignalTrampoline::Finish) {
                resume(process, process.signal_return, 0);
                return NoReply;
            }
        }
        auto restored = pop_signal_frame(space, registers_after(call, 0));
        if (!restored) {
            printf("posix: pid %d: rt_sigreturn without a frame: killed by SIGSEGV\n", process.pid);
            end(process, Segv);
            return NoReply;
        }
        process.signal_mask = restored.value().mask & ~(bit(Kill) | bit(Stop));
        // Linux's restore_altstack: the frame's stack set again from the handler's stack
        // pointer (refused while on the stack; errors are not reported).
        (void)process.alternate_stack.change(restored.value().stack, call.stack_pointer());
        // The FPU state back through the trampoline (the thread loads it itself).
        auto through = return_through(space, restored.value(), trampoline);
        if (!through) {
            printf("posix: pid %d: rt_sigreturn with a bad fpstate: killed by SIGSEGV\n",
                   process.pid);
            end(process, Segv);
            return NoReply;
        }
        if (through.value().words[seL4_UnknownSyscall_FaultIP] ==
            trampoline + SignalTrampoline::Return) {
            // No signal delivered on the way there: a handler's frame built on the trampoline's
            // registers would return into the trampoline and take these registers' place.
            process.signal_return = restored.value().registers;
            process.returning_from_signal = true;
            defer_reply(through.value(), ReplyWords);
            return NoReply;
        }
        resume(process, through.value(), 0);
        return NoReply;
    }
    case linux::nr::RtSigpending: {
        if (a[1] > SignalSetSize)
            return linux::negative(Errno::Inval);
        const Process* leader = find(process.tgid);
        const uint64_t pending = process.pending | (leader ? leader->shared_pending : 0);
        return linux_return(space.write(a[0], &pending, a[1]));
    }
    case linux::nr::Pause:
        return Blocked; // until a handler runs (interrupt: EINTR)
    case linux::nr::RtSigsuspend: {
        if (process.blocked)
            return Blocked;
        if (a[1] != SignalSetSize)
            return linux::negative(Errno::Inval);
        uint64_t wanted = 0;
        if (auto got = space.read(a[0], &wanted, sizeof wanted); !got)
            return linux_return(got);
        process.mask_before_suspend = process.signal_mask;
        process.restore_mask = true;
        process.signal_mask = wanted & ~(bit(Kill) | bit(Stop));
        claim_shared(process);
        // A signal already pending and unblocked now runs its handler at once.
        for (uint64_t ready = process.pending & ~process.signal_mask; ready != 0;
             ready &= ready - 1) {
            if (has_handler(process.actions[__builtin_ctzll(ready) + 1]))
                return linux::negative(Errno::Intr);
        }
        return Blocked;
    }
    case linux::nr::Sigaltstack: {
        const linux::StackT old = process.alternate_stack.describe(call.stack_pointer());
        if (a[0] != 0) {
            linux::StackT wanted;
            if (auto got = space.read(a[0], &wanted, sizeof wanted); !got)
                return linux_return(got);
            if (auto changed = process.alternate_stack.change(wanted, call.stack_pointer());
                !changed)
                return linux_return(changed);
        }
        if (a[1] != 0)
            return linux_return(space.write(a[1], &old, sizeof old));
        return 0;
    }
    case linux::nr::Kill:
    case linux::nr::Tkill:
    case linux::nr::Tgkill: {
        const int32_t pid = call.number == linux::nr::Tgkill ? int32_t(a[1]) : int32_t(a[0]);
        const int signal = int(call.number == linux::nr::Tgkill ? a[2] : a[1]);
        if (signal < 0 || signal > Max)
            return linux::negative(Errno::Inval);
        // Process groups are single processes yet: 0 and -pid name the caller's own.
        const int32_t wanted = pid == 0 ? process.tgid : pid < -1 ? -pid : pid;
        if (wanted == -1)
            return linux::negative(Errno::Perm);
        if (call.number != linux::nr::Kill && pid <= 0)
            return linux::negative(Errno::Inval);
        Process* target = find(wanted);
        if (target == nullptr || target->exited ||
            (call.number == linux::nr::Tgkill && target->tgid != int32_t(a[0])))
            return linux::negative(Errno::Srch);
        if (signal == 0)
            return 0;
        // kill names a process (any of its threads' ids does), tkill and tgkill a thread.
        if (call.number == linux::nr::Kill || target->thread_exited)
            target = &signal_target(*target, signal);
        const bool self = target->tgid == process.tgid;
        const Process::Sender sender{call.number == linux::nr::Kill ? CodeUser : CodeTkill,
                                     process.tgid, 0, call.number == linux::nr::Kill};
        const bool ended = send_signal(*target, signal, sender);
        return self && ended ? NoReply : 0;
    }
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server
