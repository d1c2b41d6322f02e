// The inodes clients hold open, with a count each, and whether the inode lost its last name
// while held (it is then freed at the last release). A fixed table from the arena.
#pragma once

#include <stdint.h>

#include <tessera/ext2/arena.h>
#include <tessera/ext2/errno.h>
#include <tessera/ext2/types.h>

namespace tessera::ext2 {

class OpenTable {
public:
    static OpenTable* create(Arena& arena, uint32_t capacity);

    // One more hold on inode; Errno::NFile when the table is full.
    Result<void> hold(InodeNumber inode);
    // No: still held. Yes: that was the last hold. Orphan: the last, and the inode has no name.
    enum class Last { No, Yes, Orphan };
    // One hold less. Errno::BadF if the inode was not held.
    Result<Last> release(InodeNumber inode);
    bool is_held(InodeNumber inode) const { return find(inode) != nullptr; }
    // The inode lost its last name while held: free it at the last release.
    void mark_orphan(InodeNumber inode);
    bool is_orphan(InodeNumber inode) const;
    uint32_t held_count() const;

private:
    struct Slot {
        uint32_t inode = 0; // 0: free
        uint32_t holds = 0;
        bool orphan = false;
    };
    Slot* find(InodeNumber inode) const;

    Slot* slots_ = nullptr;
    uint32_t capacity_ = 0;
};

} // namespace tessera::ext2
