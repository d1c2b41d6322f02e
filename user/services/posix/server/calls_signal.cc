// Signals, first part: dispositions (rt_sigaction), the blocked mask (rt_sigprocmask), kill,
// tkill and tgkill with the default actions (terminate, ignore) carried out, and SIGPIPE. A
// signal whose disposition is a handler is not delivered yet (one log line says so).
#include <stdio.h>

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

} // namespace

bool Server::send_signal(Process& target, int signal)
{
    const uint64_t handler = target.actions[signal].handler;
    if (signal != Kill && signal != Stop) {
        if (handler == IgnoreHandler || (handler == DefaultHandler && ignored_by_default(signal)))
            return false;
        if (handler != DefaultHandler) {
            printf("posix: signal %d to pid %d has a handler: not delivered yet\n", signal,
                   target.pid);
            return false;
        }
        if (target.signal_mask & bit(signal))
            return false; // blocked: pending signals are not kept yet
    } else if (signal == Stop) {
        return false;
    }
    end(target, signal & 0x7f);
    return true;
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
        const bool ended = send_signal(*target, signal);
        return self && ended ? NoReply : 0;
    }
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server
