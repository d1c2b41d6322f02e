// clock_gettime, clock_getres, gettimeofday and time from the server's Clock. The server keeps
// no per-process CPU accounting yet: the CPU-time clocks give the time since the process (or
// the thread, which is the process) was created, an upper bound of its CPU time. nanosleep and
// clock_nanosleep block the caller until a deadline: the clock's event wakes the server then.
#include "core/time/timeout.h"
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "linux/structures.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

// What Linux reports as the resolution of its high-resolution clocks.
constexpr int64_t Resolution = 1;

linux::Timespec timespec_of(uint64_t nanoseconds)
{
    return {int64_t(nanoseconds / NanosecondsPerSecond), int64_t(nanoseconds % NanosecondsPerSecond)};
}

} // namespace

bool Server::timed_out(Process& process, uint64_t duration)
{
    if (!process.blocked)
        process.deadline = deadline_after(now(), duration);
    return now() >= process.deadline;
}

// nanosleep(request, remainder) and clock_nanosleep(clock, flags, request, remainder). The
// remainder is only written when a signal ends the sleep early, which none does yet.
int64_t Server::sleep_call(Process& process, const LinuxCall& call)
{
    namespace id = linux::clock_id;
    const uint64_t* a = call.args;
    int32_t clock = id::Monotonic;
    uint32_t flags = 0;
    uint64_t request = a[0];
    if (call.number == linux::nr::ClockNanosleep) {
        clock = int32_t(a[0]);
        flags = uint32_t(a[1]);
        request = a[2];
    }
    switch (clock) {
    case id::Realtime:
    case id::Monotonic:
    case id::Boottime:
    case id::Tai:
    case id::RealtimeAlarm:
    case id::BoottimeAlarm:
    case id::ProcessCpu: // its time is the time since the process began: it runs at clock speed
        break;
    case id::MonotonicRaw:
    case id::RealtimeCoarse:
    case id::MonotonicCoarse:
        return linux::negative(Errno::OpNotSupp); // clocks Linux cannot sleep on
    default:
        return linux::negative(Errno::Inval); // unknown, or the thread's CPU clock
    }
    if (clock_ == nullptr || !clock_->has_events())
        return linux::negative(Errno::NoSys);
    linux::Timespec given{};
    if (auto got = process.space->read(request, &given, sizeof given); !got)
        return linux_return(got);
    auto length = duration_of(given);
    if (!length)
        return linux_return(length);
    uint64_t duration = length.value();
    if (flags & id::AbsoluteTime) {
        // A time on `clock` itself: how far it is from that clock's present.
        const bool real = clock == id::Realtime || clock == id::RealtimeAlarm || clock == id::Tai;
        const uint64_t present = real                     ? clock_->realtime_nanoseconds()
                                 : clock == id::ProcessCpu ? now() - process.started_at
                                                           : now();
        duration = duration > present ? duration - present : 0;
    }
    return timed_out(process, duration) ? 0 : Blocked;
}

void Server::expire_alarms()
{
    const uint64_t present = now();
    for (Process& p : processes_) {
        if (p.pid == 0 || p.exited || p.alarm_at > present)
            continue;
        p.alarm_at = p.alarm_interval == 0 ? NoDeadline
                                           : deadline_after(present, p.alarm_interval);
        (void)send_signal(signal_target(p, linux::signal::Alrm), linux::signal::Alrm,
                          {linux::signal::CodeKernel, 0, 0, true});
    }
}

// alarm, getitimer and setitimer on the real-time timer (ITIMER_REAL). The CPU-time timers
// (ITIMER_VIRTUAL, ITIMER_PROF) need CPU accounting the server does not keep: ENOSYS.
int64_t Server::timer_call(Process& process, const LinuxCall& call)
{
    constexpr int32_t Real = 0, Prof = 2;
    const uint64_t* a = call.args;
    if (clock_ == nullptr || !clock_->has_events())
        return linux::negative(Errno::NoSys);
    const uint64_t present = now();
    const linux::ItimerVal old{remaining_timeval(0, process.alarm_interval),
                               process.alarm_at == NoDeadline
                                   ? linux::Timeval{0, 0}
                                   : remaining_timeval(present, process.alarm_at)};
    may_be_timed_ = true; // an alarm may be armed: arm_clock looks again
    if (call.number == linux::nr::Alarm) {
        const uint64_t seconds = uint32_t(a[0]);
        process.alarm_interval = 0;
        process.alarm_at = seconds == 0 ? NoDeadline
                                        : deadline_after(present, seconds * NanosecondsPerSecond);
        // What was left, rounded to the nearest second, and at least 1 while it ran (Linux).
        if (old.value.seconds == 0 && old.value.microseconds == 0)
            return 0;
        const int64_t rounded = old.value.seconds + (old.value.microseconds >= 500000 ? 1 : 0);
        return rounded == 0 ? 1 : rounded;
    }
    const int32_t which = int32_t(a[0]);
    if (which < Real || which > Prof)
        return linux::negative(Errno::Inval);
    if (which != Real)
        return linux::negative(Errno::NoSys);
    if (call.number == linux::nr::Getitimer)
        return linux_return(process.space->write(a[1], &old, sizeof old));
    linux::ItimerVal wanted{};
    if (a[1] != 0) // a null new value disarms, as Linux still allows
        if (auto got = process.space->read(a[1], &wanted, sizeof wanted); !got)
            return linux_return(got);
    auto value = duration_of(wanted.value);
    auto interval = duration_of(wanted.interval);
    if (!value || !interval || wanted.value.microseconds >= 1000000 ||
        wanted.interval.microseconds >= 1000000)
        return linux::negative(Errno::Inval);
    if (a[2] != 0)
        if (auto put = process.space->write(a[2], &old, sizeof old); !put)
            return linux_return(put);
    process.alarm_at = value.value() == 0 ? NoDeadline : deadline_after(present, value.value());
    process.alarm_interval = value.value() == 0 ? 0 : interval.value();
    return 0;
}

int64_t Server::time_call(Process& process, const LinuxCall& call)
{
    namespace id = linux::clock_id;
    const uint64_t* a = call.args;
    const uint64_t n = call.number;
    if (n == linux::nr::Nanosleep || n == linux::nr::ClockNanosleep)
        return sleep_call(process, call);
    if (n == linux::nr::Alarm || n == linux::nr::Getitimer || n == linux::nr::Setitimer)
        return timer_call(process, call);
    if (n != linux::nr::ClockGettime && n != linux::nr::ClockGetres &&
        n != linux::nr::Gettimeofday && n != linux::nr::Time)
        return linux::negative(Errno::NoSys);
    if (clock_ == nullptr)
        return linux::negative(Errno::NoSys);
    AddressSpace& space = *process.space;
    if (n == linux::nr::Gettimeofday) {
        const linux::Timespec now = timespec_of(clock_->realtime_nanoseconds());
        const linux::Timeval value{now.seconds, now.nanoseconds / 1000};
        if (a[0] != 0)
            if (auto put = space.write(a[0], &value, sizeof value); !put)
                return linux_return(put);
        const int32_t zone[2] = {0, 0}; // UTC, no daylight saving: struct timezone
        if (a[1] != 0)
            if (auto put = space.write(a[1], zone, sizeof zone); !put)
                return linux_return(put);
        return 0;
    }
    if (n == linux::nr::Time) {
        const int64_t seconds = int64_t(clock_->realtime_nanoseconds() / NanosecondsPerSecond);
        if (a[0] != 0)
            if (auto put = space.write(a[0], &seconds, sizeof seconds); !put)
                return linux_return(put);
        return seconds;
    }
    // Negative ids name another process's or a file's CPU clock: not served.
    const int32_t clock = int32_t(a[0]);
    uint64_t nanoseconds = 0;
    switch (clock) {
    case id::Realtime:
    case id::RealtimeCoarse:
    case id::RealtimeAlarm:
    case id::Tai: // no leap-second table: TAI is taken as UTC
        nanoseconds = clock_->realtime_nanoseconds();
        break;
    case id::Monotonic:
    case id::MonotonicRaw:
    case id::MonotonicCoarse:
    case id::Boottime:
    case id::BoottimeAlarm:
        nanoseconds = clock_->monotonic_nanoseconds();
        break;
    case id::ProcessCpu:
    case id::ThreadCpu:
        nanoseconds = clock_->monotonic_nanoseconds() - process.started_at;
        break;
    default:
        return linux::negative(Errno::Inval);
    }
    const linux::Timespec value =
        n == linux::nr::ClockGetres ? linux::Timespec{0, Resolution} : timespec_of(nanoseconds);
    if (n == linux::nr::ClockGetres && a[1] == 0)
        return 0; // a null result is allowed: the call only checks the id
    if (auto put = space.write(a[1], &value, sizeof value); !put)
        return linux_return(put);
    return 0;
}

} // namespace tessera::posix::server
