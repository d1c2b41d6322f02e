// System V IPC (docs/posix.md, "System V IPC"): message queues, semaphore sets and shared
// memory segments in one namespace for every process (core/sysv). A msgsnd without room, a
// msgrcv without a message and a semop that must wait block like any call and are tried again
// after every event; an object removed under a waiting call ends it with EIDRM. Every process
// runs as root, so the modes are kept and reported but never refuse (Linux's CAP_IPC_OWNER).
#include <stdio.h>

#include "core/time/timeout.h"
#include "linux/call_numbers.h"
#include "linux/sysv.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

namespace sv = linux::sysv;

Result<void> nothing_to_check(const auto&)
{
    return {};
}

// A call on an id that is not there: EINVAL, or EIDRM for a call that waited on the object.
int64_t missing(const Process& process)
{
    return linux::negative(process.blocked ? Errno::Idrm : Errno::Inval);
}

// IPC_STAT and IPC_SET as every kind has them: the object's status written out, or the mode
// (and what `more` takes of the rest) read in.
template <class Status, class More>
int64_t stat_or_set(AddressSpace& space, int32_t command, uint64_t buffer, sysv::Identity& identity,
                    const Status& status, int64_t seconds, More&& more)
{
    if (command == sv::Stat)
        return linux_return(space.write(buffer, &status, sizeof status));
    Status wanted;
    if (auto got = space.read(buffer, &wanted, sizeof wanted); !got)
        return linux_return(got);
    if (wanted.perm.uid == ~0u || wanted.perm.gid == ~0u) // Linux's invalid ids
        return linux::negative(Errno::Inval);
    // The owner and the permission bits change; SHM_DEST and SHM_LOCKED stay (Linux's
    // ipc_update_perm).
    identity.uid = wanted.perm.uid;
    identity.gid = wanted.perm.gid;
    identity.mode = (identity.mode & ~0777u) | (wanted.perm.mode & 0777);
    identity.change_time = seconds;
    more(wanted);
    return 0;
}

} // namespace

int64_t Server::sysv_call(Process& process, const LinuxCall& call)
{
    namespace nr = linux::nr;
    AddressSpace& space = *process.space;
    const uint64_t* a = call.args;
    const int64_t seconds = clock_ ? int64_t(clock_->realtime_nanoseconds() / 1000000000) : 0;
    switch (call.number) {
    case nr::Msgget:
        return linux_return(sysv_.queues.get(int32_t(a[0]), uint32_t(a[1]), seconds,
                                             nothing_to_check<sysv::MessageQueue>,
                                             nothing_to_check<sysv::MessageQueue>));
    case nr::Msgsnd: {
        const uint64_t size = a[2];
        if (int64_t(size) < 0 || size > sv::MsgMax || int32_t(a[0]) < 0)
            return linux::negative(Errno::Inval);
        int64_t type = 0;
        if (auto got = space.read(a[1], &type, sizeof type); !got)
            return linux_return(got);
        if (type < 1)
            return linux::negative(Errno::Inval);
        static uint8_t text[sv::MsgMax]; // the server serves one call at a time
        if (auto got = space.read(a[1] + sizeof type, text, size); !got)
            return linux_return(got);
        sysv::MessageQueue* queue = sysv_.queues.find(int32_t(a[0]));
        if (queue == nullptr)
            return missing(process);
        if (!queue->has_room(size))
            return (a[3] & sv::NoWait) ? linux::negative(Errno::Again) : Blocked;
        if (auto appended = queue->append(type, text, size); !appended)
            return linux_return(appended);
        queue->last_sender = process.tgid;
        queue->send_time = seconds;
        return 0;
    }
    case nr::Msgrcv: {
        const uint64_t size = a[2];
        const uint32_t flags = uint32_t(a[4]);
        if (int64_t(size) < 0 || int32_t(a[0]) < 0)
            return linux::negative(Errno::Inval);
        if (flags & sv::MsgCopy)
            return linux::negative(Errno::NoSys); // checkpoint/restore's, not served
        sysv::MessageQueue* queue = sysv_.queues.find(int32_t(a[0]));
        if (queue == nullptr)
            return missing(process);
        sysv::Message* message = queue->select(int64_t(a[3]), flags);
        if (message == nullptr)
            return (flags & sv::NoWait) ? linux::negative(Errno::NoMsg) : Blocked;
        if (message->size > size && !(flags & sv::MsgNoError))
            return linux::negative(Errno::TooBig);
        const uint64_t copied = message->size < size ? message->size : size;
        if (auto put = space.write(a[1], &message->type, sizeof message->type); !put)
            return linux_return(put);
        if (auto put = space.write(a[1] + sizeof message->type, message->text, copied); !put)
            return linux_return(put);
        queue->unlink(message);
        sysv::MessageQueue::destroy(message);
        queue->last_receiver = process.tgid;
        queue->receive_time = seconds;
        return int64_t(copied);
    }
    case nr::Msgctl: {
        sysv::MessageQueue* queue = sysv_.queues.find(int32_t(a[0]));
        if (queue == nullptr)
            return linux::negative(Errno::Inval);
        const int32_t command = int32_t(a[1]) & ~sv::Ipc64;
        switch (command) {
        case sv::Stat:
        case sv::Set:
            return stat_or_set(
                space, command, a[2], queue->identity, queue->status(), seconds,
                [&](const sv::MsqidDs& wanted) { queue->max_bytes = wanted.max_bytes; });
        case sv::Remove:
            sysv_.queues.remove(*queue);
            return 0;
        default:
            return linux::negative(Errno::Inval);
        }
    }
    default:
        return sysv_semaphore_call(process, call, seconds);
    }
}

int64_t Server::sysv_semaphore_call(Process& process, const LinuxCall& call, int64_t seconds)
{
    namespace nr = linux::nr;
    AddressSpace& space = *process.space;
    const uint64_t* a = call.args;
    switch (call.number) {
    case nr::Semget: {
        const int32_t count = int32_t(a[1]);
        if (count < 0 || uint32_t(count) > sv::SemMsl)
            return linux::negative(Errno::Inval);
        auto check = [&](const sysv::SemaphoreSet& set) -> Result<void> {
            return uint32_t(count) > set.count ? Result<void>(Errno::Inval) : Result<void>();
        };
        auto make = [&](sysv::SemaphoreSet& set) -> Result<void> {
            if (count == 0)
                return Errno::Inval;
            return set.make(uint32_t(count));
        };
        return linux_return(
            sysv_.semaphores.get(int32_t(a[0]), uint32_t(a[2]), seconds, check, make));
    }
    case nr::Semop:
    case nr::Semtimedop: {
        const int64_t count = int64_t(a[2]);
        if (count < 1)
            return linux::negative(Errno::Inval);
        if (count > int64_t(sv::SemOpm))
            return linux::negative(Errno::TooBig);
        static sv::Sembuf operations[sv::SemOpm];
        if (auto got = space.read(a[1], operations, size_t(count) * sizeof(sv::Sembuf)); !got)
            return linux_return(got);
        uint64_t duration = NoDeadline;
        if (call.number == nr::Semtimedop && a[3] != 0) {
            linux::Timespec given;
            if (auto got = space.read(a[3], &given, sizeof given); !got)
                return linux_return(got);
            auto checked = duration_of(given);
            if (!checked)
                return linux_return(checked);
            duration = checked.value();
        }
        sysv::SemaphoreSet* set = sysv_.semaphores.find(int32_t(a[0]));
        if (set == nullptr)
            return missing(process);
        // SEM_UNDO's adjustments must fit before anything changes (ERANGE, ENOMEM).
        if (auto room = sysv_.undo.check(process.tgid, int32_t(a[0]), operations, size_t(count));
            !room)
            return linux_return(room);
        auto outcome = set->apply(operations, size_t(count), process.tgid, seconds);
        if (!outcome)
            return linux_return(outcome);
        if (outcome.value() == sysv::SemaphoreSet::Outcome::Applied) {
            sysv_.undo.record(process.tgid, int32_t(a[0]), operations, size_t(count));
            return 0;
        }
        if (duration != NoDeadline && timed_out(process, duration))
            return linux::negative(Errno::Again);
        return Blocked;
    }
    case nr::Semctl:
        return semaphore_control(process, call, seconds);
    default:
        return sysv_memory_call(process, call, seconds);
    }
}

int64_t Server::semaphore_control(Process& process, const LinuxCall& call, int64_t seconds)
{
    AddressSpace& space = *process.space;
    const uint64_t* a = call.args;
    sysv::SemaphoreSet* set = sysv_.semaphores.find(int32_t(a[0]));
    if (set == nullptr)
        return linux::negative(Errno::Inval);
    const int32_t number = int32_t(a[1]);
    const int32_t command = int32_t(a[2]) & ~sv::Ipc64;
    const bool one = command == sv::GetVal || command == sv::GetPid || command == sv::GetNCnt ||
                     command == sv::GetZCnt || command == sv::SetVal;
    if (one && (number < 0 || uint32_t(number) >= set->count))
        return linux::negative(Errno::Inval);
    switch (command) {
    case sv::GetVal:
        return set->values[number];
    case sv::GetPid:
        return set->last_pids[number];
    case sv::GetNCnt:
    case sv::GetZCnt:
        return semaphore_waiters(a[0], uint16_t(number), command == sv::GetZCnt);
    case sv::SetVal: {
        const int32_t value = int32_t(a[3]);
        if (value < 0 || uint32_t(value) > sv::SemVmx)
            return linux::negative(Errno::Range);
        set->values[number] = uint16_t(value);
        set->last_pids[number] = process.tgid;
        set->identity.change_time = seconds;
        sysv_.undo.forget(int32_t(a[0]), number); // every process's SEM_UNDO there
        return 0;
    }
    case sv::GetAll:
        return linux_return(space.write(a[3], set->values, set->count * sizeof(uint16_t)));
    case sv::SetAll: {
        static uint16_t values[sv::SemMsl];
        if (auto got = space.read(a[3], values, set->count * sizeof(uint16_t)); !got)
            return linux_return(got);
        for (uint32_t i = 0; i < set->count; ++i)
            if (values[i] > sv::SemVmx)
                return linux::negative(Errno::Range);
        for (uint32_t i = 0; i < set->count; ++i) {
            set->values[i] = values[i];
            set->last_pids[i] = process.tgid;
        }
        set->identity.change_time = seconds;
        sysv_.undo.forget(int32_t(a[0]), -1);
        return 0;
    }
    case sv::Stat:
    case sv::Set:
        return stat_or_set(space, command, a[3], set->identity, set->status(), seconds,
                           [](const sv::SemidDs&) {});
    case sv::Remove:
        sysv_.undo.forget(int32_t(a[0]), -1);
        sysv_.semaphores.remove(*set);
        return 0;
    default:
        return linux::negative(Errno::Inval);
    }
}

// GETNCNT and GETZCNT: the processes waiting in semop on semaphore `number` of set `id` for an
// increase or for zero (Linux counts each waiting operation's first blocking semaphore; here
// every operation of the waiting call on that semaphore counts once per process).
int64_t Server::semaphore_waiters(uint64_t id, uint16_t number, bool for_zero)
{
    int64_t waiting = 0;
    for (Process& p : processes_) {
        const LinuxCall& c = p.blocked_call;
        if (p.pid == 0 || !p.blocked || c.args[0] != id ||
            (c.number != linux::nr::Semop && c.number != linux::nr::Semtimedop))
            continue;
        sv::Sembuf operation;
        for (uint64_t i = 0; i < c.args[2] && i < sv::SemOpm; ++i) {
            if (!p.space->read(c.args[1] + i * sizeof operation, &operation, sizeof operation))
                break;
            if (operation.number == number && (operation.operation == 0) == for_zero &&
                operation.operation <= 0) {
                ++waiting;
                break;
            }
        }
    }
    return waiting;
}

int64_t Server::sysv_memory_call(Process& process, const LinuxCall& call, int64_t seconds)
{
    namespace nr = linux::nr;
    AddressSpace& space = *process.space;
    const uint64_t* a = call.args;
    if (call.number == nr::Shmget || call.number == nr::Shmat || call.number == nr::Shmdt ||
        call.number == nr::Shmctl)
        reap_segments(); // a removed segment's id ends at its last detach, exit or execve
    switch (call.number) {
    case nr::Shmget: {
        const uint64_t size = a[1];
        auto check = [&](const sysv::Segment& segment) -> Result<void> {
            return size > segment.size ? Result<void>(Errno::Inval) : Result<void>();
        };
        auto make = [&](sysv::Segment& segment) -> Result<void> {
            if (size < sv::ShmMin || size > sv::ShmMax)
                return Errno::Inval;
            segment.memory = sysv::SegmentMemory::make(frames_, size);
            if (!segment.memory)
                return Errno::NoMem;
            segment.size = size;
            segment.creator = process.tgid;
            return {};
        };
        return linux_return(
            sysv_.segments.get(int32_t(a[0]), uint32_t(a[2]), seconds, check, make));
    }
    case nr::Shmat: {
        sysv::Segment* segment = sysv_.segments.find(int32_t(a[0]));
        if (segment == nullptr)
            return linux::negative(Errno::Inval);
        const uint32_t flags = uint32_t(a[2]);
        uint64_t address = a[1];
        if (address & PageMask) {
            if (!(flags & sv::ShmRound))
                return linux::negative(Errno::Inval);
            address = page_down(address);
        }
        const auto placement = address == 0             ? AddressSpace::Placement::Hint
                               : (flags & sv::ShmRemap) ? AddressSpace::Placement::Fixed
                                                        : AddressSpace::Placement::FixedNoReplace;
        uint32_t protection = linux::mman::ProtRead;
        if (!(flags & sv::ShmReadOnly))
            protection |= linux::mman::ProtWrite;
        if (flags & sv::ShmExec)
            protection |= linux::mman::ProtExec;
        auto mapped = space.map(address, page_up(segment->size), protection, true, segment->memory,
                                0, placement);
        if (!mapped)
            return linux::negative(mapped.error() == Errno::Exist ? Errno::Inval : mapped.error());
        segment->attach_time = seconds;
        segment->last_operator = process.tgid;
        return int64_t(mapped.value());
    }
    case nr::Shmdt: {
        const Region* region = space.region_at(a[0]);
        if (region == nullptr || region->start != a[0] || region->offset != 0 ||
            !sysv_.is_segment(region->object.get()))
            return linux::negative(Errno::Inval);
        const MemoryObject* memory = region->object.get();
        for (sysv::Segment& segment : sysv_.segments) {
            if (segment.identity.used && segment.memory.get() == memory) {
                segment.detach_time = seconds;
                segment.last_operator = process.tgid;
            }
        }
        if (auto unmapped = space.unmap(a[0], page_up(memory->mapped_size())); !unmapped)
            return linux_return(unmapped);
        reap_segments();
        return 0;
    }
    case nr::Shmctl: {
        sysv::Segment* segment = sysv_.segments.find(int32_t(a[0]));
        if (segment == nullptr)
            return linux::negative(Errno::Inval);
        const int32_t command = int32_t(a[1]) & ~sv::Ipc64;
        switch (command) {
        case sv::Stat:
        case sv::Set:
            return stat_or_set(space, command, a[2], segment->identity,
                               segment->status(attachments(*segment->memory)), seconds,
                               [](const sv::ShmidDs&) {});
        case sv::Remove:
            sysv_.remove_segment(*segment, attachments(*segment->memory));
            return 0;
        case sv::ShmLock: // nothing is swapped: the mode says it, as Linux's
            segment->identity.mode |= sv::ShmLocked;
            return 0;
        case sv::ShmUnlock:
            segment->identity.mode &= ~sv::ShmLocked;
            return 0;
        default:
            return linux::negative(Errno::Inval);
        }
    }
    default:
        return linux::negative(Errno::NoSys);
    }
}

void Server::reap_segments()
{
    sysv_.reap([&](const sysv::Segment& segment) { return attachments(*segment.memory); });
}

void Server::sysv_exit(int32_t tgid)
{
    // SEM_UNDO: each adjustment added back, the value kept within 0..SEMVMX (Linux's exit_sem).
    sysv_.undo.settle(tgid, [&](int32_t id, uint16_t number, int32_t adjust) {
        sysv::SemaphoreSet* set = sysv_.semaphores.find(id);
        if (set == nullptr || number >= set->count)
            return;
        int32_t value = int32_t(set->values[number]) + adjust;
        value = value < 0 ? 0 : value > int32_t(sv::SemVmx) ? int32_t(sv::SemVmx) : value;
        set->values[number] = uint16_t(value);
        set->last_pids[number] = tgid;
    });
    reap_segments();
}

// shm_nattch: the mappings of the segment that begin at its start, one per address space.
uint64_t Server::attachments(const MemoryObject& memory)
{
    uint64_t count = 0;
    const AddressSpace* seen[MaxProcesses] = {};
    unsigned spaces = 0;
    for (const Process& p : processes_) {
        if (p.pid == 0 || p.exited || !p.space)
            continue;
        bool counted = false;
        for (unsigned i = 0; i < spaces; ++i)
            counted = counted || seen[i] == p.space.get();
        if (counted)
            continue;
        seen[spaces++] = p.space.get();
        for (const Region& r : p.space->regions())
            if (r.object.get() == &memory && r.offset == 0)
                ++count;
    }
    return count;
}

} // namespace tessera::posix::server
