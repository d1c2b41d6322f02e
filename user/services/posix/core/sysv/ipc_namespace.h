// The server's System V IPC objects: one table per kind (Linux's IPC namespace; every process
// shares the one), and the memory of removed segments that are still attached, so that shmdt
// knows their mappings.
#pragma once

#include "core/sysv/ipc_ids.h"
#include "core/sysv/message_queue.h"
#include "core/sysv/segment.h"
#include "core/sysv/semaphore_set.h"

namespace tessera::posix::sysv {

struct IpcNamespace {
    static constexpr size_t Queues = 64, Sets = 64, Segments = 64;
    IpcIds<MessageQueue, Queues> queues;
    IpcIds<SemaphoreSet, Sets> semaphores;
    IpcIds<Segment, Segments> segments;
    Ref<SegmentMemory> removed[Segments];

    // Whether `object` is a segment's memory (attached through shmat), removed or not.
    bool is_segment(const MemoryObject* object)
    {
        if (object == nullptr)
            return false;
        for (const Segment& s : segments)
            if (s.identity.used && s.memory.get() == object)
                return true;
        for (const Ref<SegmentMemory>& r : removed)
            if (r.get() == object)
                return true;
        return false;
    }

    // IPC_RMID of a segment: gone from the table; its memory lives on in its attachments.
    void remove_segment(Segment& segment)
    {
        for (Ref<SegmentMemory>& r : removed) {
            if (r && r->reference_count() == 1)
                r = nullptr; // no attachment left
        }
        for (Ref<SegmentMemory>& r : removed) {
            if (!r) {
                r = segment.memory;
                break;
            }
        }
        segments.remove(segment);
    }
};

} // namespace tessera::posix::sysv
