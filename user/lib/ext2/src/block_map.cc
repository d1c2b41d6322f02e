// Block map walks: lookup with run detection, allocation on write, truncation.
#include "block_map.h"

#include <string.h>

namespace tessera::ext2 {

Result<BlockMap::Path> BlockMap::path_of(FileBlock index) const
{
    uint64_t i = raw(index);
    uint64_t p = volume_.geometry().pointers_per_block;
    Path path;
    if (i < disk::DirectBlocks) {
        path.depth = 1;
        path.index[0] = static_cast<uint32_t>(i);
        return path;
    }
    i -= disk::DirectBlocks;
    if (i < p) {
        path.depth = 2;
        path.index[0] = disk::SingleIndirect;
        path.index[1] = static_cast<uint32_t>(i);
        return path;
    }
    i -= p;
    if (i < p * p) {
        path.depth = 3;
        path.index[0] = disk::DoubleIndirect;
        path.index[1] = static_cast<uint32_t>(i / p);
        path.index[2] = static_cast<uint32_t>(i % p);
        return path;
    }
    i -= p * p;
    if (i < p * p * p) {
        path.depth = 4;
        path.index[0] = disk::TripleIndirect;
        path.index[1] = static_cast<uint32_t>(i / (p * p));
        path.index[2] = static_cast<uint32_t>(i / p % p);
        path.index[3] = static_cast<uint32_t>(i % p);
        return path;
    }
    return Errno::FBig;
}

void BlockMap::count_blocks(int64_t delta)
{
    int64_t sectors = delta * (volume_.geometry().block_size / 512);
    int64_t total = int64_t{inode_.raw.blocks} + sectors;
    inode_.raw.blocks = total < 0 ? 0 : static_cast<uint32_t>(total);
}

Result<Extent> BlockMap::find(FileBlock first, uint32_t limit)
{
    Result<Path> path = path_of(first);
    if (!path)
        return path.error();
    const Path& p = path.value();
    const uint32_t* pointers = inode_.raw.block;
    uint32_t count = disk::DirectBlocks; // entries in the array being walked
    BlockRef ref;
    for (uint32_t level = 0; level + 1 < p.depth; ++level) {
        uint32_t next = pointers[p.index[level]];
        Result<void> valid = volume_.check_block_pointer(next, "indirect block");
        if (!valid)
            return valid.error();
        if (next == 0) {
            // A hole as large as what remains of the subtree this pointer would map.
            uint64_t span = 1;
            uint64_t offset = 0;
            for (uint32_t l = p.depth - 1; l > level; --l) {
                offset += p.index[l] * span;
                span *= volume_.geometry().pointers_per_block;
            }
            uint64_t remaining = span - offset;
            return Extent{0, static_cast<uint32_t>(remaining < limit ? remaining : limit)};
        }
        Result<BlockRef> block = volume_.cache().get(BlockNumber{next}, BlockCache::Fill::Read);
        if (!block)
            return block.error();
        ref = static_cast<BlockRef&&>(block.value());
        pointers = reinterpret_cast<const uint32_t*>(ref.data());
        count = volume_.geometry().pointers_per_block;
    }
    uint32_t index = p.index[p.depth - 1];
    uint32_t start = pointers[index];
    Result<void> valid = volume_.check_block_pointer(start, "data block");
    if (!valid)
        return valid.error();
    uint32_t length = 1;
    while (length < limit && index + length < count) {
        uint32_t next = pointers[index + length];
        if (start == 0 ? next != 0 : next != start + length)
            break;
        ++length;
    }
    // A run may not run off the volume (pointers beyond the first are checked here).
    if (start != 0 && uint64_t{start} + length > volume_.geometry().blocks_count)
        return volume_.corrupt("inode %u: blocks %u-%u run past the volume", raw(number_), start,
                               start + length - 1);
    return Extent{start, length};
}

uint32_t BlockMap::goal_for(const uint32_t* pointers, uint32_t index, uint32_t parent) const
{
    for (uint32_t i = index; i > 0; --i)
        if (pointers[i - 1] != 0)
            return pointers[i - 1] + 1;
    if (parent != 0)
        return parent + 1;
    const Geometry& g = volume_.geometry();
    return g.group_first_block(g.group_of_inode(raw(number_)));
}

Result<BlockNumber> BlockMap::find_or_allocate(FileBlock index, bool& fresh)
{
    fresh = false;
    Result<Path> path = path_of(index);
    if (!path)
        return path.error();
    const Path& p = path.value();
    uint32_t* pointers = inode_.raw.block;
    BlockRef ref; // holds the indirect block `pointers` points into (none for i_block)
    uint32_t parent = 0;
    for (uint32_t level = 0; level < p.depth; ++level) {
        uint32_t slot = p.index[level];
        uint32_t next = pointers[slot];
        bool is_data = level + 1 == p.depth;
        Result<void> valid = volume_.check_block_pointer(next, is_data ? "data block" : "indirect block");
        if (!valid)
            return valid.error();
        if (next == 0) {
            Result<BlockNumber> allocated =
                volume_.allocate_block(BlockNumber{goal_for(pointers, slot, parent)});
            if (!allocated)
                return allocated.error();
            next = raw(allocated.value());
            pointers[slot] = next;
            if (ref.is_held())
                ref.mark_dirty();
            count_blocks(1);
            if (is_data) {
                fresh = true;
            } else {
                Result<BlockRef> zeroed = volume_.cache().get(BlockNumber{next}, BlockCache::Fill::Zero);
                if (!zeroed)
                    return zeroed.error();
                zeroed.value().mark_dirty();
            }
        }
        if (is_data)
            return BlockNumber{next};
        Result<BlockRef> block = volume_.cache().get(BlockNumber{next}, BlockCache::Fill::Read);
        if (!block)
            return block.error();
        ref = static_cast<BlockRef&&>(block.value());
        pointers = reinterpret_cast<uint32_t*>(ref.data());
        parent = next;
    }
    return Errno::Inval; // unreachable: the walk ends at the data level
}

Result<void> BlockMap::free_data(uint32_t block)
{
    Result<void> valid = volume_.check_block_pointer(block, "data block");
    if (!valid)
        return valid;
    Result<void> freed = volume_.free_block(BlockNumber{block});
    if (!freed)
        return freed;
    count_blocks(-1);
    return {};
}

// In the indirect block `block` of the given level (1: its entries are data blocks), frees what
// maps file blocks at or after `from` (relative to the first file block this block maps).
// Returns true when the block itself was freed (from == 0).
Result<bool> BlockMap::free_tree(uint32_t block, uint32_t level, uint64_t from)
{
    Result<void> valid = volume_.check_block_pointer(block, "indirect block");
    if (!valid)
        return valid.error();
    uint64_t p = volume_.geometry().pointers_per_block;
    uint64_t child_span = 1;
    for (uint32_t l = 1; l < level; ++l)
        child_span *= p;
    {
        Result<BlockRef> ref = volume_.cache().get(BlockNumber{block}, BlockCache::Fill::Read);
        if (!ref)
            return ref.error();
        uint32_t* entries = reinterpret_cast<uint32_t*>(ref.value().data());
        bool changed = false;
        for (uint64_t i = from / child_span; i < p; ++i) {
            uint32_t child = entries[i];
            if (child == 0)
                continue;
            uint64_t child_first = i * child_span;
            if (from <= child_first) {
                Result<void> freed = level == 1 ? free_data(child) : Result<void>{};
                if (level > 1) {
                    Result<bool> whole = free_tree(child, level - 1, 0);
                    if (!whole)
                        freed = whole.error();
                }
                if (!freed)
                    return freed.error();
                entries[i] = 0;
                changed = true;
            } else if (level > 1) {
                Result<bool> part = free_tree(child, level - 1, from - child_first);
                if (!part)
                    return part.error();
            }
        }
        if (changed)
            ref.value().mark_dirty();
    }
    if (from != 0)
        return false;
    Result<void> freed = volume_.free_block(BlockNumber{block});
    if (!freed)
        return freed.error();
    count_blocks(-1);
    return true;
}

Result<void> BlockMap::free_from(FileBlock first)
{
    uint64_t f = raw(first);
    uint32_t* pointers = inode_.raw.block;
    for (uint64_t i = f; i < disk::DirectBlocks; ++i) {
        if (pointers[i] == 0)
            continue;
        Result<void> freed = free_data(pointers[i]);
        if (!freed)
            return freed;
        pointers[i] = 0;
    }
    uint64_t p = volume_.geometry().pointers_per_block;
    uint64_t base = disk::DirectBlocks;
    uint64_t span = p;
    for (uint32_t level = 1; level <= 3; ++level) {
        uint32_t slot = disk::SingleIndirect + level - 1;
        if (pointers[slot] != 0 && f < base + span) {
            uint64_t from = f > base ? f - base : 0;
            Result<bool> whole = free_tree(pointers[slot], level, from);
            if (!whole)
                return whole.error();
            if (whole.value())
                pointers[slot] = 0;
        }
        base += span;
        span *= p;
    }
    return {};
}

Result<void> BlockMap::release_xattr_block()
{
    uint32_t block = inode_.raw.file_acl;
    if (block == 0)
        return {};
    Result<void> valid = volume_.check_block_pointer(block, "extended-attribute block");
    if (!valid)
        return valid;
    bool last = true;
    {
        Result<BlockRef> ref = volume_.cache().get(BlockNumber{block}, BlockCache::Fill::Read);
        if (!ref)
            return ref.error();
        disk::XattrBlockHeader header;
        memcpy(&header, ref.value().data(), sizeof header);
        if (header.magic != disk::XattrMagic || header.refcount == 0)
            return volume_.corrupt("inode %u: extended-attribute block %u is damaged",
                                   raw(number_), block);
        if (header.refcount > 1) {
            --header.refcount;
            memcpy(ref.value().data(), &header, sizeof header);
            ref.value().mark_dirty();
            last = false;
        }
    }
    if (last) {
        Result<void> freed = volume_.free_block(BlockNumber{block});
        if (!freed)
            return freed;
    }
    count_blocks(-1);
    inode_.raw.file_acl = 0;
    return {};
}

} // namespace tessera::ext2
