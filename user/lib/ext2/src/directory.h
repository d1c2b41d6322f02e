// A directory's entries: lookup, iteration, insertion, removal and retargeting, on the linear
// ext2 format. Indexed (dir_index) directories are read the same way: their index blocks look like
// empty entries. Any change clears the index flag, as Linux's ext2 does, so a stale index is never
// trusted by another reader.
#pragma once

#include <stdint.h>

#include <tessera/ext2/errno.h>
#include <tessera/ext2/file_system.h>
#include <tessera/ext2/types.h>

#include "inode.h"
#include "volume.h"

namespace tessera::ext2 {

struct EntryLocation {
    uint64_t block = 0;     // file block of the directory
    uint32_t offset = 0;    // of the entry in that block
    uint32_t previous = 0;  // offset of the entry before it in the block (valid if offset != 0)
};

struct FoundEntry {
    InodeNumber inode{0};
    uint8_t type = 0;
    EntryLocation where;
};

// What one pass over a directory learns for a new name: the entry if the name is taken, else
// where a record for it fits (if anywhere).
struct NameSearch {
    bool found = false;
    FoundEntry entry;
    bool has_room = false;
    EntryLocation room; // the record whose spare space (or which, if unused) takes the new one
};

// The directory-entry type byte for an inode mode.
uint8_t entry_type_of(FileType type);
FileType file_type_of_entry(uint8_t entry_type);
bool is_dot(Name name);
bool is_dot_dot(Name name);

class Directory {
public:
    // `inode` is the directory's record; changes (size, blocks, flags, times) go there and the
    // caller stores it.
    Directory(Volume& volume, InodeData& inode, InodeNumber number)
        : volume_(volume), inode_(inode), number_(number)
    {
    }

    // Errno::NoEnt when absent.
    Result<FoundEntry> find(Name name);
    Result<uint64_t> iterate(uint64_t cursor, DirectoryVisitor& visitor);
    // find() and, when the name is absent, where add() may put it: one pass instead of two.
    Result<NameSearch> search(Name name);
    // Adds name (which must be absent), growing the directory by a block when no entry has room.
    // `hint` from search() saves the scan for room when it still holds.
    Result<void> add(Name name, InodeNumber inode, uint8_t type, const NameSearch* hint = nullptr);
    Result<void> remove(const EntryLocation& where);
    // Points an existing entry at another inode (rename over a name, a moved directory's "..").
    Result<void> retarget(const EntryLocation& where, InodeNumber inode, uint8_t type);
    // Only "." and ".." left.
    Result<bool> is_empty();
    // Writes the first block of a new directory: "." and "..".
    Result<void> initialize(InodeNumber parent);

private:
    // Calls visit(ref, index, offset, previous, header) for each record of each block in order
    // until it returns true; returns whether one did.
    template <class Visit> Result<bool> each_record(Visit&& visit);
    Result<BlockRef> load_block(uint64_t index);
    Result<void> check_size();
    Result<void> check_block(const uint8_t* data, uint64_t index);
    // Writes the new record into the record at `offset` if it has room; false if not.
    bool place(BlockRef& ref, uint32_t offset, Name name, InodeNumber inode, uint8_t type);
    void changed();

    Volume& volume_;
    InodeData& inode_;
    InodeNumber number_;
};

} // namespace tessera::ext2
