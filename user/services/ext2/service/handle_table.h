// One client's open files: handle n is slot n. A slot names an inode and its generation (so a
// slot that outlived its inode reads as stale, never as another file) and what the client may do
// with it. Plain data: it lives in memory that survives a restart of the service.
#pragma once

#include <stdint.h>

#include <tessera/ext2/types.h>
#include <tessera/fs_protocol.h>

namespace tessera::services::ext2 {

struct HandleSlot {
    uint32_t inode = 0; // 0: free
    uint32_t generation = 0;
    uint32_t flags = 0; // HandleSlot::Readable | ...
    uint32_t reserved = 0;

    enum : uint32_t { Readable = 1, Writable = 2, Append = 4, Directory = 8 };
};

class HandleTable {
public:
    // A free slot, filled; -1 when all TESSERA_FS_MAX_HANDLES are in use.
    int64_t add(tessera::ext2::InodeNumber inode, uint32_t generation, uint32_t flags);
    // The slot of a handle in use, or nullptr.
    HandleSlot* find(uint64_t handle);
    void remove(uint64_t handle) { slots_[handle] = HandleSlot{}; }
    HandleSlot& slot(unsigned index) { return slots_[index]; }
    static constexpr unsigned Capacity = TESSERA_FS_MAX_HANDLES;

private:
    HandleSlot slots_[Capacity];
};

} // namespace tessera::services::ext2
