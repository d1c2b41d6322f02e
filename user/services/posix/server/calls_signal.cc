// Signals: dispositions (rt_sigaction), the blocked mask (rt_sigprocmask), pending signals, kill,
// tkill and tgkill, SIGPIPE and SIGCHLD, default actions (terminate, ignore), and handlers: a
// handler runs when its process returns from a system call (core/signal/signal_frame), so a
// process blocked in the server is interrupted at once (EINTR, or its call made again under
// SA_RESTART), while one running its own code sees the signal at its next system call (the
// server does not stop a running thread). pause and rt_sigsuspend wait for a handler;
// rt_sigreturn takes its frame back.
#include <stdio.h>

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
           number == nr::Pause || number == nr::RtSigsuspend;
}

bool has_handler(const linux::KernelSigaction& action)
{
    return action.handler != DefaultHandler && action.handler != IgnoreHandler;
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
        target.pending |= bit(signal);
        target.senders[signal] = sender;
        if (target.signal_mask & bit(signal))
            return false; // pending until unblocked
        if (handler != DefaultHandler) {
            if (target.blocked)
                interrupt(target);
            return false;
        }
    }
    end(target, signal & 0x7f);
    return true;
}

bool Server::deliver(Process& process, UserRegisters& registers)
{
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
        delivery.action = action;
        delivery.info.signo = signal;
        delivery.info.code = process.senders[signal].code;
        delivery.info.fields.child.pid = process.senders[signal].pid;
        delivery.info.fields.child.status = process.senders[signal].status;
        delivery.saved_mask = process.restore_mask ? process.mask_before_suspend
                                                   : process.signal_mask;
        auto pushed = push_signal_frame(*process.space, registers, delivery);
        if (!pushed) {
            printf("posix: pid %d: no room for signal %d's frame: killed by SIGSEGV\n",
                   process.pid, signal);
            end(process, Segv);
            return false;
        }
        process.restore_mask = false;
        registers = pushed.value();
        process.signal_mask |= action.mask | ((action.flags & NoDefer) ? 0 : bit(signal));
        process.signal_mask &= ~(bit(Kill) | bit(Stop));
        if (action.flags & ResetHand)
            process.actions[signal] = {};
    }
    if (process.restore_mask) {
        process.signal_mask = process.mask_before_suspend;
        process.restore_mask = false;
    }
    return true;
}

void Server::interrupt(Process& process)
{
    const LinuxCall call = process.blocked_call;
    const seL4_CPtr cap = process.reply_cap;
    // The event that brought the signal may have completed the call too (a child's exit ends
    // its parent's wait4 and sends SIGCHLD): then it returns its result and the handler runs.
    int64_t result = dispatch(process, call);
    const uint64_t ready = process.pending & ~process.signal_mask;
    const bool restart = result == Blocked && ready != 0 && !never_restarted(call.number) &&
                         (process.actions[__builtin_ctzll(ready) + 1].flags & Restart);
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
            process.actions[signal] = wanted;
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
        auto restored = pop_signal_frame(space, registers_after(call, 0));
        if (!restored) {
            printf("posix: pid %d: rt_sigreturn without a frame: killed by SIGSEGV\n", process.pid);
            end(process, Segv);
            return NoReply;
        }
        process.signal_mask = restored.value().mask & ~(bit(Kill) | bit(Stop));
        resume(process, restored.value().registers, 0);
        return NoReply;
    }
    case linux::nr::RtSigpending: {
        if (a[1] > SignalSetSize)
            return linux::negative(Errno::Inval);
        const uint64_t pending = process.pending;
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
        // A signal already pending and unblocked now runs its handler at once.
        for (uint64_t ready = process.pending & ~process.signal_mask; ready != 0;
             ready &= ready - 1) {
            if (has_handler(process.actions[__builtin_ctzll(ready) + 1]))
                return linux::negative(Errno::Intr);
        }
        return Blocked;
    }
    case linux::nr::Sigaltstack: {
        // No alternate stack is used yet: the old one is reported disabled.
        const linux::StackT none{0, StackDisable, 0, 0};
        if (a[1] != 0)
            return linux_return(space.write(a[1], &none, sizeof none));
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
        const int32_t wanted = pid == 0 ? process.pid : pid < -1 ? -pid : pid;
        if (wanted == -1)
            return linux::negative(Errno::Perm);
        Process* target = find(wanted);
        if (target == nullptr || target->exited)
            return linux::negative(Errno::Srch);
        if (signal == 0)
            return 0;
        const bool self = target == &process;
        const Process::Sender sender{call.number == linux::nr::Kill ? CodeUser : CodeTkill,
                                     process.pid, 0};
        const bool ended = send_signal(*target, signal, sender);
        return self && ended ? NoReply : 0;
    }
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server
