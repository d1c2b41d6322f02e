// The mounted volume's shared state and its bookkeeping: geometry, superblock and group
// descriptors in memory, inode records, block and inode allocation, and the read-only switch
// thrown when an inconsistency is found. Everything above (block maps, directories, the
// operations) works through it.
#pragma once

#include <stdint.h>

#include <tessera/ext2/block_cache.h>
#include <tessera/ext2/clock.h>
#include <tessera/ext2/errno.h>
#include <tessera/ext2/layout.h>

#include "inode.h"

namespace tessera::ext2 {

// The numbers derived from a checked superblock.
struct Geometry {
    uint32_t block_size = 0;
    uint32_t blocks_count = 0;
    uint32_t first_data_block = 0;
    uint32_t blocks_per_group = 0;
    uint32_t inodes_per_group = 0;
    uint32_t inodes_count = 0;
    uint32_t group_count = 0;
    uint32_t inode_size = 0;
    uint32_t first_inode = 0; // first one not reserved
    uint32_t revision = 0;
    uint32_t inodes_per_block = 0;
    uint32_t inode_table_blocks = 0; // per group
    uint32_t pointers_per_block = 0;
    uint32_t descriptor_blocks = 0;
    uint32_t reserved_gdt_blocks = 0;
    bool filetype = false;
    bool sparse_super = false;
    bool large_inodes = false;    // inode_size > 128
    uint64_t max_file_size = 0;   // bytes

    uint32_t group_of_block(uint32_t block) const { return (block - first_data_block) / blocks_per_group; }
    uint32_t group_first_block(uint32_t group) const { return first_data_block + group * blocks_per_group; }
    uint32_t blocks_in_group(uint32_t group) const
    {
        uint32_t first = group_first_block(group);
        return blocks_count - first < blocks_per_group ? blocks_count - first : blocks_per_group;
    }
    uint32_t group_of_inode(uint32_t inode) const { return (inode - 1) / inodes_per_group; }
    // Groups 0, 1 and powers of 3, 5 and 7 hold a superblock backup with sparse_super; all do without.
    bool group_has_superblock(uint32_t group) const;
    uint32_t superblock_overhead(uint32_t group) const
    {
        return group_has_superblock(group) ? 1 + descriptor_blocks + reserved_gdt_blocks : 0;
    }
};

class Volume {
public:
    Volume(BlockCache& cache, Clock& clock, const Geometry& geometry, const disk::Superblock& super,
           disk::GroupDescriptor* groups, uint8_t* checked_groups, Access access);

    const Geometry& geometry() const { return geometry_; }
    BlockCache& cache() { return cache_; }
    const disk::Superblock& superblock() const { return super_; }
    Timestamp now() { return clock_.now(); }

    bool is_read_only() const { return read_only_; }
    const char* problem() const { return problem_; }
    // Records an inconsistency found on disk, makes the volume read-only (Linux's
    // errors=remount-ro) and marks the superblock's state "errors". Returns Errno::Io to pass on.
    Errno corrupt(const char* format, ...) __attribute__((format(printf, 2, 3)));
    // Errno::RoFs when the volume may not be written.
    Result<void> check_writable() const;

    // A block number read from disk: 0 (a hole) or inside the volume; anything else is corrupt.
    Result<void> check_block_pointer(uint32_t block, const char* where);
    bool is_valid_inode_number(uint32_t inode) const
    {
        return inode >= 1 && inode <= geometry_.inodes_count;
    }

    Result<InodeData> load_inode(InodeNumber inode);
    Result<void> store_inode(InodeNumber inode, const InodeData& data);
    // Zeros an inode's whole on-disk record (a reused record may carry in-inode attributes).
    Result<void> clear_inode_record(InodeNumber inode);
    // A fresh in-memory record for a new inode (zeroed, extra fields set up, times = now).
    InodeData blank_inode();

    // Allocation: near goal when possible. Errno::NoSpc when nothing is free for a client.
    Result<BlockNumber> allocate_block(BlockNumber goal);
    Result<void> free_block(BlockNumber block);
    Result<InodeNumber> allocate_inode(InodeNumber parent, FileType type);
    Result<void> free_inode(InodeNumber inode, FileType type);
    // Turns on large_file the first time a file passes 2 GiB.
    void note_large_file();

    uint64_t free_blocks() const { return super_.free_blocks_count; }
    uint64_t free_inodes() const { return super_.free_inodes_count; }
    uint32_t next_generation() { return ++generation_; }

    // Writes superblock and group descriptors into the cache, then the cache to the device,
    // then flushes the device. Leaves the on-disk state "valid" when nothing is wrong.
    Result<void> sync();
    // Superblock, descriptors and dirty blocks to the device, without the "clean" state and
    // without a device flush.
    Result<void> write_back();
    // Before the first change after a sync: the on-disk superblock says "not clean" until the
    // next sync, so that a volume whose writer died is checked before use.
    Result<void> begin_change();

private:
    // The cache block holding an inode's record, pinned, and the record's offset in it.
    struct Record {
        BlockRef block;
        uint8_t* bytes = nullptr;
    };
    Result<Record> inode_record(InodeNumber inode);
    Result<BlockRef> bitmap(uint32_t group, bool inode_bitmap);
    Result<void> check_group_bitmap(uint32_t group, const uint8_t* bits);
    bool is_group_metadata(uint32_t group, uint32_t block) const;
    Result<uint32_t> claim_in_group(uint32_t group, uint32_t goal_index);
    Result<uint32_t> claim_inode_in_group(uint32_t group);
    uint32_t pick_inode_group(uint32_t parent_group, FileType type) const;
    Result<void> write_superblock(uint16_t state);
    Result<void> write_descriptors();
    void descriptor_changed(uint32_t group);

    BlockCache& cache_;
    Clock& clock_;
    Geometry geometry_;
    disk::Superblock super_;
    disk::GroupDescriptor* groups_;
    uint8_t* checked_groups_; // one bit per group: its block bitmap passed check_group_bitmap
    bool read_only_;
    bool changing_ = false;   // the on-disk superblock says "not clean"
    bool descriptors_dirty_ = false;
    bool superblock_dirty_ = false;
    uint32_t generation_ = 0;
    char problem_[160] = {};
};

} // namespace tessera::ext2
