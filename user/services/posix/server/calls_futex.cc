// futex(2): FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP,
// FUTEX_WAIT_BITSET and FUTEX_WAKE_BITSET, and the PI locks (FUTEX_LOCK_PI, LOCK_PI2, TRYLOCK_PI,
// UNLOCK_PI), private or shared (docs/posix.md, "Futexes"). A waiter is a process blocked in its
// futex call, its word's key in Process::futex; a wake marks the earliest waiters of the key
// woken, and their retry after this message answers them 0. Timeouts are the blocked call's
// deadline; a signal ends the wait with EINTR (or makes it again under SA_RESTART; a PI lock is
// always made again).
#include "core/sync/futex_op.h"
#include "core/sync/robust_list.h"
#include "core/time/timeout.h"
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace op = linux::futex_op;

namespace {

// FUTEX_WAKE and its kin wake at least one waiter whatever the count says (Linux's loops test
// the count after each wake).
int64_t at_least_one(int32_t count)
{
    return count > 1 ? count : 1;
}

} // namespace

Process* Server::futex_waiter(const FutexKey& key, uint32_t bitset, uint64_t up_to)
{
    Process* earliest = nullptr;
    for (Process& p : processes_) {
        const bool waiting = p.pid != 0 && !p.exited && p.blocked &&
                             p.blocked_call.number == linux::nr::Futex && p.futex.bitset != 0 &&
                             !p.futex.woken && !p.futex.pi && p.futex.since <= up_to;
        if (waiting && p.futex.key == key && (p.futex.bitset & bitset) != 0 &&
            (earliest == nullptr || p.futex.since < earliest->futex.since))
            earliest = &p;
    }
    return earliest;
}

Process* Server::futex_pi_waiter(const FutexKey& key)
{
    Process* earliest = nullptr;
    for (Process& p : processes_) {
        const bool waiting = p.pid != 0 && !p.exited && p.blocked &&
                             p.blocked_call.number == linux::nr::Futex && p.futex.pi &&
                             !p.futex.woken && p.futex.key == key;
        if (waiting && (earliest == nullptr || p.futex.since < earliest->futex.since))
            earliest = &p;
    }
    return earliest;
}

int64_t Server::futex_wake_key(const FutexKey& key, uint32_t bitset, int64_t limit)
{
    int64_t woken = 0;
    for (Process* waiter; woken < limit && (waiter = futex_waiter(key, bitset));) {
        waiter->futex.woken = true;
        ++woken;
    }
    return woken;
}

int64_t Server::futex_wake(AddressSpace& space, uint64_t address, int64_t count, bool private_futex)
{
    auto key = futex_key(space, address, private_futex);
    if (!key)
        return linux::negative(key.error());
    return futex_wake_key(key.value(), op::BitsetMatchAny, count);
}

// EFAULT, EINVAL as Linux reads the timespec; an absolute time is measured from the realtime or
// the monotonic clock's present (0 once past).
Result<uint64_t> Server::futex_timeout(Process& process, uint64_t address, bool absolute,
                                       bool realtime)
{
    linux::Timespec given{};
    POSIX_CHECK(process.space->read(address, &given, sizeof given));
    POSIX_TRY(length, duration_of(given));
    if (!absolute)
        return length;
    const uint64_t present = realtime && clock_ ? clock_->realtime_nanoseconds() : now();
    return length > present ? length - present : 0;
}

int64_t Server::futex_wait(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    const int32_t command = int32_t(a[1]) & op::CommandMask;
    // The timeout first, as Linux reads it before looking at the word: relative for FUTEX_WAIT,
    // an absolute time on the monotonic or realtime clock for FUTEX_WAIT_BITSET.
    uint64_t duration = NoDeadline;
    if (a[3] != 0) {
        auto length = futex_timeout(process, a[3], command == op::WaitBitset,
                                    (int32_t(a[1]) & op::ClockRealtime) != 0);
        if (!length)
            return linux::negative(length.error());
        duration = length.value();
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
    if (call.number == linux::nr::SetRobustList) {
        if (call.args[1] != RobustListHeadSize)
            return linux::negative(Errno::Inval);
        process.robust_list = call.args[0];
        return 0;
    }
    if (call.number == linux::nr::GetRobustList) {
        // Any thread of any process may be asked (the same user: ptrace's read check passes).
        const int32_t tid = int32_t(call.args[0]);
        const Process* of = tid == 0 ? &process : find(tid);
        if (of == nullptr || of->exited || of->thread_exited)
            return linux::negative(Errno::Srch);
        const uint64_t length = RobustListHeadSize;
        if (!process.space->write(call.args[2], &length, sizeof length) ||
            !process.space->write(call.args[1], &of->robust_list, sizeof of->robust_list))
            return linux::negative(Errno::Fault);
        return 0;
    }
    if (call.number != linux::nr::Futex)
        return linux::negative(Errno::NoSys);
    // A blocking command tried again: woken (or handed its PI lock), timed out, or still waiting.
    if (process.blocked) {
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
    const uint64_t* a = call.args;
    const int32_t command = int32_t(a[1]) & op::CommandMask;
    const bool private_futex = (int32_t(a[1]) & op::Private) != 0;
    const bool waits = command == op::Wait || command == op::WaitBitset;
    if ((int32_t(a[1]) & op::ClockRealtime) && !waits && command != op::LockPi2)
        return linux::negative(Errno::NoSys); // as Linux: the clock is a waiter's
    if (waits)
        return futex_wait(process, call);
    if (command == op::WakeOp)
        return futex_wake_op(process, call);
    if (command == op::LockPi || command == op::LockPi2 || command == op::TryLockPi)
        return futex_lock_pi(process, call);
    if (command == op::UnlockPi)
        return futex_unlock_pi(process, call);
    if (command != op::Wake && command != op::WakeBitset && command != op::Requeue &&
        command != op::CmpRequeue)
        return linux::negative(Errno::NoSys); // FUTEX_FD, the requeue-PI pair
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
    // A plain wake of a PI futex's waiters is EINVAL (they wait for the word, not a wake).
    if (!requeues && futex_pi_waiter(key.value()) != nullptr)
        return linux::negative(Errno::Inval);
    // A requeue wakes exactly its count and moves up to `move` more onto the target word.
    const int64_t wake_limit = requeues ? wake : at_least_one(wake);
    const int64_t woken = futex_wake_key(key.value(), bitset, wake_limit);
    int64_t moved = 0;
    // Only the waiters there now move: a requeue onto the same word ends (the moved ones queue
    // again behind `queued`), and counts its waiters as Linux does.
    const uint64_t queued = futex_sequence_;
    while (moved < move) {
        Process* waiter = futex_waiter(key.value(), bitset, queued);
        if (waiter == nullptr)
            break;
        waiter->futex.key = target;
        waiter->futex.since = ++futex_sequence_; // behind the target's own waiters
        ++moved;
    }
    return woken + moved;
}

int64_t Server::futex_wake_op(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    const bool private_futex = (int32_t(a[1]) & op::Private) != 0;
    auto first = futex_key(*process.space, a[0], private_futex);
    if (!first)
        return linux::negative(first.error());
    auto second = futex_key(*process.space, a[4], private_futex);
    if (!second)
        return linux::negative(second.error());
    // The operation on the second word first (an unknown op changes nothing; an unknown
    // comparison comes after the store, as in Linux), then the wakes.
    const WakeOperation operation = decode_wake_op(uint32_t(a[5]));
    uint32_t old = 0;
    if (auto got = process.space->read(a[4], &old, sizeof old); !got)
        return linux_return(got);
    auto changed = apply_wake_op(operation, old);
    if (!changed)
        return linux::negative(changed.error());
    const uint32_t stored = changed.value();
    if (auto put = process.space->write(a[4], &stored, sizeof stored); !put)
        return linux_return(put);
    auto passes = compare_wake_op(operation, old);
    if (!passes)
        return linux::negative(passes.error());
    if (futex_pi_waiter(first.value()) != nullptr ||
        (passes.value() && futex_pi_waiter(second.value()) != nullptr))
        return linux::negative(Errno::Inval);
    int64_t woken = futex_wake_key(first.value(), op::BitsetMatchAny, at_least_one(int32_t(a[2])));
    if (passes.value())
        woken += futex_wake_key(second.value(), op::BitsetMatchAny, at_least_one(int32_t(a[3])));
    return woken;
}

int64_t Server::futex_lock_pi(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    const int32_t command = int32_t(a[1]) & op::CommandMask;
    const bool trylock = command == op::TryLockPi;
    // An absolute time: FUTEX_LOCK_PI's on the realtime clock, LOCK_PI2's on the monotonic one
    // unless FUTEX_CLOCK_REALTIME. TRYLOCK_PI has none.
    uint64_t duration = NoDeadline;
    if (!trylock && a[3] != 0) {
        auto length = futex_timeout(process, a[3], true,
                                    command == op::LockPi || (int32_t(a[1]) & op::ClockRealtime));
        if (!length)
            return linux::negative(length.error());
        duration = length.value();
    }
    auto key = futex_key(*process.space, a[0], (int32_t(a[1]) & op::Private) != 0);
    if (!key)
        return linux::negative(key.error());
    uint32_t word = 0;
    if (auto got = process.space->read(a[0], &word, sizeof word); !got)
        return linux_return(got);
    const PiLockAttempt attempt = pi_lock_attempt(word, process.pid);
    if (attempt.outcome == PiLockOutcome::Deadlock)
        return linux::negative(Errno::DeadLk);
    if (auto put = process.space->write(a[0], &attempt.word, sizeof attempt.word); !put)
        return linux_return(put);
    if (attempt.outcome == PiLockOutcome::Acquired)
        return 0;
    // FUTEX_WAITERS is set (the owner's unlock comes here); then the owner must exist.
    const Process* owner = find(int32_t(attempt.word & pi_word::TidMask));
    if (owner == nullptr || owner->exited || owner->thread_exited)
        return linux::negative(Errno::Srch);
    if (trylock)
        return linux::negative(Errno::Again);
    if (duration == 0)
        return linux::negative(Errno::TimedOut);
    process.futex = {key.value(), op::BitsetMatchAny, false, ++futex_sequence_, true};
    process.deadline = duration == NoDeadline ? NoDeadline : deadline_after(now(), duration);
    return Blocked;
}

void Server::futex_owner_exited(int32_t tid)
{
    // Linux's exit_pi_state_list: each PI lock the thread leaves held goes to its earliest
    // waiter, the word saying FUTEX_OWNER_DIED (then FUTEX_WAITERS and the new owner's tid).
    for (bool handed = true; handed;) {
        handed = false;
        for (Process& p : processes_) {
            Process* next = p.futex.pi && p.space ? futex_pi_waiter(p.futex.key) : nullptr;
            uint32_t word = 0;
            if (next == nullptr || next != &p ||
                !p.space->read(p.blocked_call.args[0], &word, sizeof word) ||
                (word & pi_word::TidMask) != uint32_t(tid))
                continue;
            const uint32_t stored = pi_word::OwnerDied |
                                    pi_word::Waiters | uint32_t(next->pid);
            if (!next->space->write(next->blocked_call.args[0], &stored, sizeof stored))
                continue;
            next->futex.woken = true;
            handed = true;
        }
    }
}

void Server::release_robust_list(Process& thread)
{
    const uint64_t head = thread.robust_list;
    thread.robust_list = 0;
    if (head == 0 || !thread.space)
        return;
    AddressSpace& space = *thread.space;
    RobustListWalk walk(space, head);
    for (RobustWord word; walk.next(word);) {
        uint32_t value = 0;
        if (word.address % sizeof value != 0 || !space.read(word.address, &value, sizeof value))
            continue; // Linux's handle_futex_death gives up on this word only
        const OwnerDeath death = owner_death(value, uint32_t(thread.pid), word);
        if (death.store && word.pi) {
            // A PI lock with a waiter goes to it (futex_owner_exited, which needs the tid still
            // in the word); without one the word only says that its owner died.
            auto key = futex_key(space, word.address, false);
            if (key && futex_pi_waiter(key.value()) != nullptr)
                continue;
        }
        if (death.store && !space.write(word.address, &death.value, sizeof death.value))
            continue;
        if (death.wake)
            (void)futex_wake(space, word.address, 1, false);
    }
}

int64_t Server::futex_unlock_pi(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    // Linux's order: the word (EFAULT), its owner (EPERM), then the key (EINVAL).
    uint32_t word = 0;
    if (auto got = process.space->read(a[0], &word, sizeof word); !got)
        return linux_return(got);
    if ((word & pi_word::TidMask) != uint32_t(process.pid))
        return linux::negative(Errno::Perm);
    auto key = futex_key(*process.space, a[0], (int32_t(a[1]) & op::Private) != 0);
    if (!key)
        return linux::negative(key.error());
    // The earliest waiter gets the lock (no priorities: FIFO), or the word is free.
    Process* next = futex_pi_waiter(key.value());
    auto unlocked = pi_unlock(word, process.pid, next != nullptr ? next->pid : 0);
    if (!unlocked)
        return linux::negative(unlocked.error());
    const uint32_t stored = unlocked.value();
    if (auto put = process.space->write(a[0], &stored, sizeof stored); !put)
        return linux_return(put);
    if (next != nullptr)
        next->futex.woken = true;
    return 0;
}

} // namespace tessera::posix::server
