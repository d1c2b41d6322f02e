// SEM_UNDO's adjustments (Linux's sem_undo lists, semadj): for each process (thread group, as
// CLONE_SYSVSEM shares them), set id and semaphore, the negation of what its SEM_UNDO operations
// did, applied to the semaphores when the process exits. Not inherited by fork's children; kept
// across execve; cleared for a semaphore by SETVAL and SETALL, for a set by IPC_RMID.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "linux/sysv.h"

namespace tessera::posix::sysv {

class SemaphoreUndo {
public:
    static constexpr size_t Capacity = 512;
    // Linux's SEMAEM: an adjustment stays within -SEMAEM - 1 .. SEMAEM.
    static constexpr int32_t MaxAdjust = int32_t(linux::sysv::SemVmx);

    // Whether process `tgid`'s SEM_UNDO operations of one semop on set `id` can be recorded:
    // ERANGE when an adjustment would leave its range, ENOMEM when the table is full.
    Result<void> check(int32_t tgid, int32_t id, const linux::sysv::Sembuf* operations,
                       size_t n) const;
    // Records them (after check, once the semop applied).
    void record(int32_t tgid, int32_t id, const linux::sysv::Sembuf* operations, size_t n);
    // The adjustment of semaphore `number` of set `id` for `tgid` (0: none).
    int32_t adjustment(int32_t tgid, int32_t id, uint16_t number) const;
    // SETVAL (one semaphore) or SETALL (`number` < 0): every process's adjustments there go.
    void forget(int32_t id, int32_t number);
    // Process `tgid` exits: `apply(id, number, adjustment)` for each of its adjustments, which
    // then go.
    template <class Apply> void settle(int32_t tgid, Apply&& apply)
    {
        for (Entry& e : entries_) {
            if (e.tgid == tgid) {
                if (e.adjust != 0)
                    apply(e.id, e.number, int32_t(e.adjust));
                e = Entry{};
            }
        }
    }

private:
    struct Entry {
        int32_t tgid = 0; // 0: free
        int32_t id = 0;
        uint16_t number = 0;
        int32_t adjust = 0;
    };
    const Entry* find(int32_t tgid, int32_t id, uint16_t number) const;
    Entry* find(int32_t tgid, int32_t id, uint16_t number);
    Entry entries_[Capacity];
};

} // namespace tessera::posix::sysv
