// The key and id table every kind of System V IPC object has (Linux's ipc/util.c): IPC_PRIVATE
// always makes a new object, a key finds or (IPC_CREAT) makes one, IPC_EXCL refuses an
// existing one; an id is the slot and a sequence number, so a removed object's id stays
// invalid when its slot is used again.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "linux/sysv.h"

namespace tessera::posix::sysv {

// What every object keeps of its creation (the ipc64_perm it reports). Every process runs as
// root, which Linux lets do anything (CAP_IPC_OWNER): the mode is kept and reported, not checked.
struct Identity {
    bool used = false;
    int32_t key = 0;
    uint32_t mode = 0; // the low nine bits of the creating call's flags
    uint16_t seq = 0;
    int64_t change_time = 0;
    uint32_t uid = 0, gid = 0; // the owner IPC_SET names (the creator is root: cuid, cgid 0)

    linux::sysv::Ipc64Perm perm() const { return {key, uid, gid, 0, 0, mode, seq, 0, {0, 0}}; }
};

inline constexpr int32_t IdsPerSeq = 32768; // Linux's IPCMNI

// `Object` has an `Identity identity` and a `reset()` that frees what it holds.
template <class Object, size_t Capacity> class IpcIds {
public:
    // msgget/semget/shmget: the id of the object `key` names, made (by `make(object)`, which
    // may fail with its own error) when there is none and IPC_CREAT asks, or when the key is
    // IPC_PRIVATE. `check(object)` vets an existing one (EINVAL for a size it lacks). ENOENT
    // without IPC_CREAT, EEXIST with IPC_EXCL, ENOSPC when the table is full.
    template <class Check, class Make>
    Result<int32_t> get(int32_t key, uint32_t flags, int64_t now, Check&& check, Make&& make)
    {
        if (key != linux::sysv::Private) {
            for (size_t i = 0; i < Capacity; ++i) {
                Object& o = objects_[i];
                if (!o.identity.used || o.identity.key != key)
                    continue;
                if ((flags & linux::sysv::Create) && (flags & linux::sysv::Exclusive))
                    return Errno::Exist;
                POSIX_CHECK(check(o));
                return id_of(i);
            }
            if (!(flags & linux::sysv::Create))
                return Errno::NoEnt;
        }
        for (size_t i = 0; i < Capacity; ++i) {
            Object& o = objects_[i];
            if (o.identity.used)
                continue;
            o.identity = {true, key, flags & 0777, next_seq_++, now};
            if (auto made = make(o); !made) {
                o.reset();
                o.identity = {};
                return made.error();
            }
            return id_of(i);
        }
        return Errno::NoSpc;
    }

    // The object `id` names, or null (Linux's EINVAL; a call that waited on it says EIDRM).
    Object* find(int64_t id)
    {
        if (id < 0)
            return nullptr;
        const size_t index = size_t(id % IdsPerSeq);
        if (index >= Capacity || !objects_[index].identity.used ||
            sequence(objects_[index]) != id / IdsPerSeq)
            return nullptr;
        return &objects_[index];
    }

    // IPC_RMID: the object goes (its key is free for a new one at once).
    void remove(Object& object)
    {
        object.reset();
        object.identity = {};
    }

    // Every slot, used or not (for the server's scans).
    Object* begin() { return objects_; }
    Object* end() { return objects_ + Capacity; }

private:
    // The id's upper part: ids stay positive 32-bit numbers.
    static int64_t sequence(const Object& o) { return o.identity.seq % (0x7fffffff / IdsPerSeq); }
    int32_t id_of(size_t index) const
    {
        return int32_t(sequence(objects_[index]) * IdsPerSeq + int64_t(index));
    }

    Object objects_[Capacity];
    uint16_t next_seq_ = 0;
};

} // namespace tessera::posix::sysv
