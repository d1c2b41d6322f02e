// The server's System V IPC objects: one table per kind (Linux's IPC namespace; every process
// shares the one), and the SEM_UNDO adjustments of every process.
#pragma once

#include "core/sysv/ipc_ids.h"
#include "core/sysv/message_queue.h"
#include "core/sysv/segment.h"
#include "core/sysv/semaphore_set.h"
#include "core/sysv/semaphore_undo.h"

namespace tessera::posix::sysv {

struct IpcNamespace {
    static constexpr size_t Queues = 64, Sets = 64, Segments = 64;
    IpcIds<MessageQueue, Queues> queues;
    IpcIds<SemaphoreSet, Sets> semaphores;
    IpcIds<Segment, Segments> segments;
    SemaphoreUndo undo;

    // Whether `object` is a segment's memory (attached through shmat), removed or not.
    bool is_segment(const MemoryObject* object)
    {
        if (object == nullptr)
            return false;
        for (const Segment& s : segments)
            if (s.identity.used && s.memory.get() == object)
                return true;
        return false;
    }

    // IPC_RMID of a segment (Linux's do_shm_rmid): gone at once when nothing attaches it;
    // else marked SHM_DEST with its key made private (no shmget finds it again), its id valid
    // for shmctl and shmat until the last detach.
    void remove_segment(Segment& segment, uint64_t attached)
    {
        if (attached == 0) {
            segments.remove(segment);
            return;
        }
        segment.identity.mode |= linux::sysv::ShmDest;
        segment.identity.key = linux::sysv::Private;
    }

    // The marked segments that nothing attaches any more go (`attached(segment)`: how many
    // attachments it has).
    template <class Attached> void reap(Attached&& attached)
    {
        for (Segment& s : segments)
            if (s.identity.used && (s.identity.mode & linux::sysv::ShmDest) && attached(s) == 0)
                segments.remove(s);
    }
};

} // namespace tessera::posix::sysv
