// A System V semaphore set (Linux's ipc/sem.c): values 0..SEMVMX, and semop's array of
// operations applied all at once or not at all.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "core/sysv/ipc_ids.h"

namespace tessera::posix::sysv {

struct SemaphoreSet {
    Identity identity;
    uint32_t count = 0;
    uint16_t* values = nullptr;   // count, owned
    int32_t* last_pids = nullptr; // the last process to change each (GETPID)
    int64_t operation_time = 0;

    // semget's part of making the set: ENOMEM.
    Result<void> make(uint32_t count);
    // semop's operations as one: Applied, or WouldBlock (a decrement below zero or a wait for
    // zero that cannot complete now: nothing changed; EAGAIN instead when that operation has
    // IPC_NOWAIT); EFBIG for a semaphore past the set, ERANGE for a value past SEMVMX. `pid`
    // becomes each changed semaphore's last_pid.
    enum class Outcome : uint8_t { Applied, WouldBlock };
    Result<Outcome> apply(const linux::sysv::Sembuf* operations, size_t n, int32_t pid,
                          int64_t now);
    linux::sysv::SemidDs status() const;
    void reset();
};

} // namespace tessera::posix::sysv
