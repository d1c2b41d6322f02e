// System V IPC as Linux x86_64 exchanges it (include/uapi/linux/ipc.h, msg.h, sem.h, shm.h and
// asm-generic's ipcbuf.h, msgbuf.h, shmbuf.h; arch/x86's sembuf.h): limits and the IPC_64
// structures the C libraries pass.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "linux/constants.h"

namespace tessera::posix::linux::sysv {

// The flags and commands are in linux/constants.h (namespace sysv); what they lack:
inline constexpr int32_t Ipc64 = 0x100;    // or-ed into ctl commands by the C libraries
inline constexpr uint32_t ShmDest = 01000; // shm_perm.mode: removed, waiting for detaches
inline constexpr uint32_t ShmLocked = 02000; // shm_perm.mode: SHM_LOCK made it resident
// Linux's default limits.
inline constexpr uint64_t MsgMax = 8192, MsgMnb = 16384;
inline constexpr uint32_t SemMsl = 32000, SemOpm = 500, SemVmx = 32767;
inline constexpr uint64_t ShmMin = 1, ShmMax = ~uint64_t{0} - (uint64_t{1} << 24);

struct Ipc64Perm {
    int32_t key;
    uint32_t uid, gid, cuid, cgid;
    uint32_t mode;
    uint16_t seq;
    uint16_t pad;
    uint64_t unused[2];
};
static_assert(sizeof(Ipc64Perm) == 48);

struct MsqidDs {
    Ipc64Perm perm;
    int64_t send_time, receive_time, change_time;
    uint64_t bytes, count, max_bytes;
    int32_t last_sender, last_receiver;
    uint64_t unused[2];
};
static_assert(sizeof(MsqidDs) == 120);

struct SemidDs {
    Ipc64Perm perm;
    int64_t operation_time;
    uint64_t unused1;
    int64_t change_time;
    uint64_t unused2;
    uint64_t count;
    uint64_t unused[2];
};
static_assert(sizeof(SemidDs) == 104);

struct ShmidDs {
    Ipc64Perm perm;
    uint64_t size;
    int64_t attach_time, detach_time, change_time;
    int32_t creator, last_operator;
    uint64_t attached;
    uint64_t unused[2];
};
static_assert(sizeof(ShmidDs) == 112);

struct Sembuf {
    uint16_t number;
    int16_t operation;
    int16_t flags;
};
static_assert(sizeof(Sembuf) == 6);

} // namespace tessera::posix::linux::sysv
