// A file's block map: which volume block holds each file block, through the inode's twelve direct
// pointers and its single, double and triple indirect blocks. Holes read as zeros.
#pragma once

#include <stdint.h>

#include <tessera/ext2/errno.h>
#include <tessera/ext2/types.h>

#include "inode.h"
#include "volume.h"

namespace tessera::ext2 {

// A run of file blocks: `length` blocks from volume block `start`, or a hole (start 0).
struct Extent {
    uint32_t start = 0;
    uint32_t length = 0;
};

class BlockMap {
public:
    // Changes go to `inode` (pointers, i_blocks); the caller stores it.
    BlockMap(Volume& volume, InodeData& inode, InodeNumber number)
        : volume_(volume), inode_(inode), number_(number)
    {
    }

    // The run starting at file block `first`: mapped blocks at consecutive volume blocks, or
    // unmapped ones, at most `limit` long and never crossing an indirect block. Errno::FBig past
    // the triple indirect range.
    Result<Extent> find(FileBlock first, uint32_t limit);
    // The volume block of file block `index`, allocating it and any missing indirect block.
    // `fresh` says the block was just allocated (its contents must be taken as zeros).
    Result<BlockNumber> find_or_allocate(FileBlock index, bool& fresh);
    // Frees every data block at or after file block `first`, and the indirect blocks that then
    // map nothing.
    Result<void> free_from(FileBlock first);
    // Frees the extended-attribute block, or drops this inode's reference to a shared one.
    Result<void> release_xattr_block();

private:
    struct Path {
        uint32_t depth = 0;      // pointers to follow: 1 for a direct block
        uint32_t index[4] = {};  // index[0] into i_block, then into each indirect block
    };
    Result<Path> path_of(FileBlock index) const;
    Result<bool> free_tree(uint32_t block, uint32_t level, uint64_t from);
    Result<void> free_data(uint32_t block);
    void count_blocks(int64_t delta);
    uint32_t goal_for(const uint32_t* pointers, uint32_t index, uint32_t parent) const;

    Volume& volume_;
    InodeData& inode_;
    InodeNumber number_;
};

} // namespace tessera::ext2
