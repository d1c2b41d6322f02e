// futex(2): FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAIT_BITSET and
// FUTEX_WAKE_BITSET, private or shared (docs/posix.md, "Futexes"). A waiter is a process blocked
// in its futex call, its word's key in Process::futex; a wake marks the earliest waiters of the
// key woken, and their retry after this message answers them 0. Timeouts are the blocked call's
// deadline; a signal ends the wait with EINTR (or makes it again under SA_RESTART).
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace op = linux::futex_op;

Process* Server::futex_waiter(const FutexKey& key, uint32_t bitset)
{
    Process* earliest = nullptr;
    for (Process& p : processes_) {
        const bool waiting = p.pid != 0 && !p.exited && p.blocked &&
                             p.blocked_call.number == linux::nr::Futex && p.futex.bitset != 0 &&
                             !p.futex.woken;
        if (waiting && p.futex.key == key && (p.futex.bitset & bitset) != 0 &&
            (earliest == nullptr || p.futex.since < earliest->futex.since))
            earliest = &p;
    }
    return earliest;
}

int64_t Server::futex_wake(AddressSpace& space, uint64_t address, int64_t count, bool private_futex)
{
    auto key = futex_key(space, address, private_futex);
    if (!key)
        return linux::negative(key.error());
    int64_t woken = 0;
    for (Process* waiter; woken < count && (waiter = futex_waiter(key.value(), op::BitsetMatchAny));) {
        waiter->futex.woken = true;
        ++woken;
    }
    return woken;
}

int64_t Server::futex_wait(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    if (process.blocked) { // tried again: woken, timed out, or still waiting
        if (process.futex.woken) {
            process.futex = {};
            return 0;
        }
        if (process.deadline != NoDeadline && now() >= process.deadline) {
            process.futex = {};
            return linux::negative(Errno::TimedOut);
        }
        return Blocked;
    }
    const int32_t command = int32_t(a[1]) & op::CommandMask;
    // The timeout first, as Linux reads it before looking at the word.
    uint64_t duration = NoDeadline;
    if (a[3] != 0) {
        linux::Timespec given{};
        if (auto got = process.space->read(a[3], &given, sizeof given); !got)
            return linux_return(got);
        auto length = duration_of(given);
        if (!length)
            return linux_return(length);
        duration = length.value();
        if (command == op::WaitBitset) { // an absolute time on the monotonic or realtime clock
            const uint64_t present = (int32_t(a[1]) & op::ClockRealtime) && clock_
                                         ? clock_->realtime_nanoseconds()
                                         : now();
            duration = duration > present ? duration - present : 0;
        }
    }
    const uint32_t bitset = command == op::WaitBitset ? uint32_t(a[5]) : op::BitsetMatchAny;
    if (bitset == 0)
        return linux::negative(Errno::Inval);
    auto key = futex_key(*process.space, a[0], (int32_t(a[1]) & op::Private) != 0);
    if (!key)
        return linux::negative(key.error());
    uint32_t value = 0;
    if (auto got = process.space->read(a[0], &value, sizeof value); !got)
        return linux_return(got);
    if (value != uint32_t(a[2]))
        return linux::negative(Errno::Again);
    if (duration == 0)
        return linux::negative(Errno::TimedOut);
    process.futex = {key.value(), bitset, false, ++futex_sequence_};
    process.deadline = duration == NoDeadline ? NoDeadline : deadline_after(now(), duration);
    return Blocked;
}

int64_t Server::futex_call(Process& process, const LinuxCall& call)
{
    if (call.number != linux::nr::Futex)
        return linux::negative(Errno::NoSys);
    const uint64_t* a = call.args;
    const int32_t command = int32_t(a[1]) & op::CommandMask;
    const bool private_futex = (int32_t(a[1]) & op::Private) != 0;
    const bool waits = command == op::Wait || command == op::WaitBitset;
    if ((int32_t(a[1]) & op::ClockRealtime) && !waits)
        return linux::negative(Errno::NoSys); // as Linux: the clock is a waiter's
    if (waits)
        return futex_wait(process, call);
    if (command != op::Wake && command != op::WakeBitset && command != op::Requeue &&
        command != op::CmpRequeue)
        return linux::negative(Errno::NoSys); // PI futexes, FUTEX_WAKE_OP, FUTEX_FD
    const uint32_t bitset = command == op::WakeBitset ? uint32_t(a[5]) : op::BitsetMatchAny;
    if (bitset == 0)
        return linux::negative(Errno::Inval);
    const bool requeues = command == op::Requeue || command == op::CmpRequeue;
    const int32_t wake = int32_t(a[2]), move = requeues ? int32_t(a[3]) : 0;
    if (requeues && (wake < 0 || move < 0))
        return linux::negative(Errno::Inval);
    auto key = futex_key(*process.space, a[0], private_futex);
    if (!key)
        return linux::negative(key.error());
    FutexKey target = key.value();
    if (requeues) {
        auto second = futex_key(*process.space, a[4], private_futex);
        if (!second)
            return linux::negative(second.error());
        target = second.value();
    }
    if (command == op::CmpRequeue) {
        uint32_t value = 0;
        if (auto got = process.space->read(a[0], &value, sizeof value); !got)
            return linux_return(got);
        if (value != uint32_t(a[5]))
            return linux::negative(Errno::Again);
    }
    // FUTEX_WAKE wakes at least one waiter whatever the count says (Linux's loop); a requeue
    // wakes exactly its count and moves up to `move` more onto the target word.
    const int64_t wake_limit = requeues ? wake : (wake > 1 ? wake : 1);
    int64_t woken = 0, moved = 0;
    while (woken < wake_limit) {
        Process* waiter = futex_waiter(key.value(), bitset);
        if (waiter == nullptr)
            break;
        waiter->futex.woken = true;
        ++woken;
    }
    while (moved < move) {
        Process* waiter = futex_waiter(key.value(), bitset);
        if (waiter == nullptr)
            break;
        waiter->futex.key = target;
        waiter->futex.since = ++futex_sequence_; // behind the target's own waiters
        ++moved;
    }
    return woken + moved;
}

} // namespace tessera::posix::server
