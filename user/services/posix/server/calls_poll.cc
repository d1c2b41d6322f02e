// poll, ppoll, select and pselect6: which descriptors a read or write would not block on. A call
// with nothing ready blocks (tried again after every event, like a pipe read) until its timeout's
// deadline passes, when it returns 0; a zero timeout answers at once. ppoll, select and pselect6
// write what is left of the timeout back, as Linux does (ignoring a timeout in read-only memory);
// ppoll and pselect6 wait under the signal mask they are given.
// Without clock events a positive timeout runs out at once: the call returns 0 rather than
// hang a program's loop waiting for an event that never comes.
#include <string.h>

#include "core/time/timeout.h"
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "linux/structures.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

namespace ev = linux::poll_event;

constexpr uint64_t MaxPollEntries = 1024; // RLIMIT_NOFILE's default: more is EINVAL
constexpr uint64_t PollChunk = 64;
constexpr int32_t SelectSetSize = 1024;   // FD_SETSIZE

// What a read or a write on `file` would do without blocking, as Linux's poll methods say it.
uint16_t readiness(const OpenFile& file)
{
    if (file.socket)
        return socket_readiness(file);
    switch (file.kind) {
    case OpenFile::Kind::Pipe: {
        const Pipe& pipe = *file.pipe;
        if (file.write_end)
            return uint16_t((pipe.room() > 0 ? ev::Out | ev::WrNorm : 0) |
                            (pipe.readers == 0 ? ev::Err : 0));
        return uint16_t((pipe.buffered() > 0 ? ev::In | ev::RdNorm : 0) |
                        (pipe.writers == 0 ? ev::Hup : 0));
    }
    case OpenFile::Kind::Closed:
        return ev::Nval;
    default:
        // Files and devices never block; the console takes every write and reads end-of-file.
        return ev::In | ev::RdNorm | ev::Out | ev::WrNorm;
    }
}

using Wait = Server::Wait;

// The timeout at `address`: a timespec, or a timeval for select. Null is no timeout (nothing).
Result<uint64_t> duration_at(AddressSpace& space, uint64_t address, bool timeval)
{
    linux::Timespec given{}; // a timeval has the same layout, microseconds in place of nanoseconds
    if (auto got = space.read(address, &given, sizeof given); !got)
        return got.error();
    return timeval ? duration_of(linux::Timeval{given.seconds, given.nanoseconds})
                   : duration_of(given);
}

} // namespace

int64_t Server::poll(Process& process, uint64_t entries, uint64_t count, Wait wait)
{
    if (count > MaxPollEntries)
        return linux::negative(Errno::Inval);
    int64_t ready = 0;
    for (uint64_t first = 0; first < count; first += PollChunk) {
        linux::PollFd chunk[PollChunk];
        const uint64_t n = count - first < PollChunk ? count - first : PollChunk;
        const uint64_t at = entries + first * sizeof(linux::PollFd);
        if (auto got = process.space->read(at, chunk, n * sizeof chunk[0]); !got)
            return linux_return(got);
        for (uint64_t i = 0; i < n; ++i) {
            linux::PollFd& entry = chunk[i];
            entry.revents = 0;
            if (entry.fd < 0)
                continue; // ignored, as Linux does
            const OpenFile closed{};
            const OpenFile& file = entry.fd < Process::MaxFiles ? process.files[entry.fd] : closed;
            // Errors, hang-ups and bad descriptors are reported whether asked for or not.
            const uint16_t wanted = uint16_t(entry.events) | ev::Err | ev::Hup | ev::Nval;
            entry.revents = int16_t(readiness(file) & wanted);
            ready += entry.revents != 0;
        }
        if (auto put = process.space->write(at, chunk, n * sizeof chunk[0]); !put)
            return linux_return(put);
    }
    return ready == 0 && wait != Wait::Never ? Blocked : ready;
}

int64_t Server::select(Process& process, int64_t count, const uint64_t sets[3], Wait wait)
{
    if (count < 0 || count > SelectSetSize)
        return linux::negative(Errno::Inval);
    constexpr size_t Words = SelectSetSize / 64;
    const size_t words = size_t(count + 63) / 64;
    uint64_t given[3][Words] = {}, result[3][Words] = {};
    for (int set = 0; set < 3; ++set) {
        if (sets[set] == 0)
            continue;
        if (auto got = process.space->read(sets[set], given[set], words * 8); !got)
            return linux_return(got);
    }
    // A descriptor in the sets is (readable, writable, exceptional) when poll would say this.
    const uint16_t meaning[3] = {ev::In | ev::RdNorm | ev::Hup | ev::Err,
                                 ev::Out | ev::WrNorm | ev::Err, ev::Pri};
    int64_t ready = 0;
    for (int32_t fd = 0; fd < count; ++fd) {
        const uint64_t bit = uint64_t(1) << (fd % 64);
        const bool asked = ((given[0][fd / 64] | given[1][fd / 64] | given[2][fd / 64]) & bit) != 0;
        if (!asked)
            continue;
        if (fd >= Process::MaxFiles || process.files[fd].kind == OpenFile::Kind::Closed)
            return linux::negative(Errno::BadF);
        const uint16_t state = readiness(process.files[fd]);
        for (int set = 0; set < 3; ++set) {
            if ((given[set][fd / 64] & bit) && (state & meaning[set])) {
                result[set][fd / 64] |= bit;
                ++ready;
            }
        }
    }
    if (ready == 0 && wait != Wait::Never)
        return Blocked;
    for (int set = 0; set < 3; ++set) {
        if (sets[set] == 0)
            continue;
        if (auto put = process.space->write(sets[set], result[set], words * 8); !put)
            return linux_return(put);
    }
    return ready;
}

// ppoll's and pselect6's signal mask: swapped in for the wait. True when a pending signal with a
// handler is unblocked by it (the call ends with EINTR at once and the handler runs).
Result<bool> Server::wait_under_mask(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    uint64_t address = a[3], size = a[4];
    if (call.number == linux::nr::Pselect6) {
        if (a[5] == 0)
            return false;
        uint64_t given[2] = {};
        POSIX_CHECK(process.space->read(a[5], given, sizeof given));
        address = given[0];
        size = given[1];
    }
    if (address == 0)
        return false;
    if (size != sizeof(uint64_t))
        return Errno::Inval;
    uint64_t wanted = 0;
    POSIX_CHECK(process.space->read(address, &wanted, sizeof wanted));
    constexpr uint64_t Unblockable = (uint64_t(1) << (linux::signal::Kill - 1)) |
                                     (uint64_t(1) << (linux::signal::Stop - 1));
    process.mask_before_suspend = process.signal_mask;
    process.restore_mask = true;
    process.signal_mask = wanted & ~Unblockable;
    claim_shared(process);
    for (uint64_t ready = process.pending & ~process.signal_mask; ready != 0; ready &= ready - 1) {
        const uint64_t handler = process.actions[__builtin_ctzll(ready) + 1].handler;
        if (handler != linux::signal::DefaultHandler && handler != linux::signal::IgnoreHandler)
            return true;
    }
    return false;
}

// How long a call whose timeout is `duration` waits: sets the process's deadline on its first try.
Server::Wait Server::wait_for(Process& process, uint64_t duration)
{
    if (duration == 0 || clock_ == nullptr || !clock_->has_events())
        return Wait::Never;
    return timed_out(process, duration) ? Wait::Never : Wait::Deadline;
}

// What is left of the timeout at `address` (a timespec, or select's timeval) once the call ends.
void Server::write_remaining(Process& process, uint64_t address, bool timeval)
{
    if (address == 0)
        return;
    const uint64_t deadline = process.deadline == NoDeadline ? now() : process.deadline;
    if (timeval) {
        const linux::Timeval left = remaining_timeval(now(), deadline);
        (void)process.space->write(address, &left, sizeof left);
    } else {
        const linux::Timespec left = remaining(now(), deadline);
        (void)process.space->write(address, &left, sizeof left);
    }
}

int64_t Server::poll_call(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    AddressSpace& space = *process.space;
    switch (call.number) {
    case linux::nr::Poll: {
        const int32_t milliseconds = int32_t(a[2]);
        const Wait wait = milliseconds < 0
                              ? Wait::Forever
                              : wait_for(process, duration_of_milliseconds(milliseconds));
        return poll(process, a[0], a[1], wait);
    }
    case linux::nr::Ppoll:
    case linux::nr::Select:
    case linux::nr::Pselect6: {
        const bool is_poll = call.number == linux::nr::Ppoll;
        const uint64_t timeout = is_poll ? a[2] : a[4];
        const bool timeval = call.number == linux::nr::Select;
        Wait wait = Wait::Forever;
        if (timeout != 0) {
            auto duration = duration_at(space, timeout, timeval);
            if (!duration)
                return linux_return(duration);
            wait = wait_for(process, duration.value());
        }
        // The mask to wait under (ppoll: a[3], a[4]; pselect6: a[5] -> {mask, size}), taken
        // back once the call and any handler it let in are done, as rt_sigsuspend's.
        if (!process.blocked && call.number != linux::nr::Select) {
            auto swapped = wait_under_mask(process, call);
            if (!swapped)
                return linux_return(swapped);
            if (swapped.value())
                return linux::negative(Errno::Intr);
        }
        const uint64_t sets[3] = {a[1], a[2], a[3]};
        const int64_t result = is_poll ? poll(process, a[0], a[1], wait)
                                       : select(process, int64_t(int32_t(a[0])), sets, wait);
        if (result != Blocked && result >= 0 && wait != Wait::Forever)
            write_remaining(process, timeout, timeval);
        return result;
    }
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server
