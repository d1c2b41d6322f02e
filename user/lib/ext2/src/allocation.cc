// Block and inode allocation on the groups' bitmaps, with the free counts kept exact in the group
// descriptors and the superblock. A bitmap that marks its own group's metadata free is corrupt:
// the volume turns read-only rather than hand out a bitmap or inode-table block.
#include <string.h>

#include "volume.h"

namespace tessera::ext2 {

namespace {
bool test_bit(const uint8_t* bits, uint32_t index) { return (bits[index >> 3] >> (index & 7)) & 1; }
void set_bit(uint8_t* bits, uint32_t index) { bits[index >> 3] |= static_cast<uint8_t>(1u << (index & 7)); }
void clear_bit(uint8_t* bits, uint32_t index) { bits[index >> 3] &= static_cast<uint8_t>(~(1u << (index & 7))); }

// The first clear bit in [from, limit), or limit. Whole bytes of ones are skipped at once.
uint32_t find_clear(const uint8_t* bits, uint32_t from, uint32_t limit)
{
    uint32_t index = from;
    while (index < limit && (index & 7) != 0) {
        if (!test_bit(bits, index))
            return index;
        ++index;
    }
    while (index + 8 <= limit && bits[index >> 3] == 0xFF)
        index += 8;
    while (index < limit) {
        if (!test_bit(bits, index))
            return index;
        ++index;
    }
    return limit;
}
} // namespace

bool Volume::is_group_metadata(uint32_t group, uint32_t block) const
{
    const disk::GroupDescriptor& d = groups_[group];
    uint32_t first = geometry_.group_first_block(group);
    return (block >= first && block < first + geometry_.superblock_overhead(group)) ||
           block == d.block_bitmap || block == d.inode_bitmap ||
           (block >= d.inode_table && block < d.inode_table + geometry_.inode_table_blocks);
}

Result<void> Volume::check_group_bitmap(uint32_t group, const uint8_t* bits)
{
    const disk::GroupDescriptor& d = groups_[group];
    uint32_t first = geometry_.group_first_block(group);
    auto marked = [&](uint32_t block) { return test_bit(bits, block - first); };
    bool ok = marked(d.block_bitmap) && marked(d.inode_bitmap);
    for (uint32_t i = 0; ok && i < geometry_.inode_table_blocks; ++i)
        ok = marked(d.inode_table + i);
    for (uint32_t i = 0; ok && i < geometry_.superblock_overhead(group); ++i)
        ok = marked(first + i);
    if (!ok)
        return corrupt("group %u: block bitmap marks the group's own metadata free", group);
    return {};
}

Result<BlockRef> Volume::bitmap(uint32_t group, bool inode_bitmap)
{
    const disk::GroupDescriptor& d = groups_[group];
    Result<BlockRef> ref = cache_.get(BlockNumber{inode_bitmap ? d.inode_bitmap : d.block_bitmap},
                                      BlockCache::Fill::Read);
    if (!ref || inode_bitmap)
        return ref;
    uint8_t& checked = checked_groups_[group >> 3];
    if (((checked >> (group & 7)) & 1) == 0) {
        Result<void> sane = check_group_bitmap(group, ref.value().data());
        if (!sane)
            return sane.error();
        checked = static_cast<uint8_t>(checked | (1u << (group & 7)));
    }
    return ref;
}

Result<uint32_t> Volume::claim_in_group(uint32_t group, uint32_t goal_index)
{
    Result<BlockRef> ref = bitmap(group, false);
    if (!ref)
        return ref.error();
    uint8_t* bits = ref.value().data();
    uint32_t limit = geometry_.blocks_in_group(group);
    if (goal_index >= limit)
        goal_index = 0;
    uint32_t index = find_clear(bits, goal_index, limit);
    if (index == limit)
        index = find_clear(bits, 0, goal_index); // goal_index (a set bit) when there is none
    if (index >= limit || test_bit(bits, index))
        return corrupt("group %u: %u blocks counted free but the bitmap is full", group,
                       groups_[group].free_blocks_count);
    uint32_t block = geometry_.group_first_block(group) + index;
    if (is_group_metadata(group, block))
        return corrupt("group %u: block bitmap marks metadata block %u free", group, block);
    set_bit(bits, index);
    ref.value().mark_dirty();
    return block;
}

Result<BlockNumber> Volume::allocate_block(BlockNumber goal)
{
    Result<void> writable = check_writable();
    if (!writable)
        return writable.error();
    // Clients are not the superuser: the reserved blocks stay free (Linux's s_r_blocks_count).
    if (super_.free_blocks_count <= super_.r_blocks_count)
        return Errno::NoSpc;
    uint32_t goal_block = raw(goal);
    bool goal_valid = goal_block >= geometry_.first_data_block && goal_block < geometry_.blocks_count;
    uint32_t start = goal_valid ? geometry_.group_of_block(goal_block) : 0;
    for (uint32_t i = 0; i < geometry_.group_count; ++i) {
        uint32_t group = (start + i) % geometry_.group_count;
        if (groups_[group].free_blocks_count == 0)
            continue;
        uint32_t goal_index = (i == 0 && goal_valid) ? goal_block - geometry_.group_first_block(group) : 0;
        Result<uint32_t> claimed = claim_in_group(group, goal_index);
        if (!claimed)
            return claimed.error();
        --groups_[group].free_blocks_count;
        --super_.free_blocks_count;
        descriptor_changed(group);
        return BlockNumber{claimed.value()};
    }
    return Errno::NoSpc;
}

Result<void> Volume::free_block(BlockNumber block)
{
    uint32_t number = raw(block);
    if (number < geometry_.first_data_block || number >= geometry_.blocks_count)
        return corrupt("freeing block %u outside the volume", number);
    uint32_t group = geometry_.group_of_block(number);
    if (is_group_metadata(group, number))
        return corrupt("freeing metadata block %u", number);
    Result<BlockRef> ref = bitmap(group, false);
    if (!ref)
        return ref.error();
    uint32_t index = number - geometry_.group_first_block(group);
    if (!test_bit(ref.value().data(), index))
        return corrupt("freeing block %u, which is already free", number);
    clear_bit(ref.value().data(), index);
    ref.value().mark_dirty();
    ++groups_[group].free_blocks_count;
    ++super_.free_blocks_count;
    descriptor_changed(group);
    cache_.forget(block);
    return {};
}

// Directories spread over the groups with more free inodes than average (most free blocks
// first); other inodes stay near their directory, then try groups a quadratic step away, then
// any (the policy of Linux's ext2, simplified).
uint32_t Volume::pick_inode_group(uint32_t parent_group, FileType type) const
{
    uint32_t count = geometry_.group_count;
    if (type == FileType::Directory) {
        uint32_t average = super_.free_inodes_count / count;
        uint32_t best = count;
        for (uint32_t g = 0; g < count; ++g) {
            const disk::GroupDescriptor& d = groups_[g];
            if (d.free_inodes_count == 0 || d.free_inodes_count < average)
                continue;
            if (best == count || d.free_blocks_count > groups_[best].free_blocks_count)
                best = g;
        }
        if (best != count)
            return best;
    } else {
        if (parent_group < count && groups_[parent_group].free_inodes_count > 0 &&
            groups_[parent_group].free_blocks_count > 0)
            return parent_group;
        for (uint64_t step = 1; step < count; step <<= 1) {
            uint32_t g = static_cast<uint32_t>((parent_group + step) % count);
            if (groups_[g].free_inodes_count > 0 && groups_[g].free_blocks_count > 0)
                return g;
        }
    }
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t g = (parent_group + i) % count;
        if (groups_[g].free_inodes_count > 0)
            return g;
    }
    return count;
}

Result<uint32_t> Volume::claim_inode_in_group(uint32_t group)
{
    Result<BlockRef> ref = bitmap(group, true);
    if (!ref)
        return ref.error();
    uint8_t* bits = ref.value().data();
    uint32_t base = group * geometry_.inodes_per_group; // inode number of bit 0, minus one
    // Reserved inodes (1 to first_inode - 1) are never handed out, whatever the bitmap says.
    uint32_t from = base + 1 >= geometry_.first_inode ? 0 : geometry_.first_inode - 1 - base;
    uint32_t index = find_clear(bits, from, geometry_.inodes_per_group);
    if (index >= geometry_.inodes_per_group)
        return corrupt("group %u: %u inodes counted free but the bitmap is full", group,
                       groups_[group].free_inodes_count);
    set_bit(bits, index);
    ref.value().mark_dirty();
    return base + index + 1;
}

Result<InodeNumber> Volume::allocate_inode(InodeNumber parent, FileType type)
{
    Result<void> writable = check_writable();
    if (!writable)
        return writable.error();
    if (super_.free_inodes_count == 0)
        return Errno::NoSpc;
    uint32_t group = pick_inode_group(geometry_.group_of_inode(raw(parent)), type);
    if (group == geometry_.group_count)
        return Errno::NoSpc;
    Result<uint32_t> claimed = claim_inode_in_group(group);
    if (!claimed)
        return claimed.error();
    --groups_[group].free_inodes_count;
    --super_.free_inodes_count;
    if (type == FileType::Directory)
        ++groups_[group].used_dirs_count;
    descriptor_changed(group);
    return InodeNumber{claimed.value()};
}

Result<void> Volume::free_inode(InodeNumber inode, FileType type)
{
    if (!is_valid_inode_number(raw(inode)) || raw(inode) < geometry_.first_inode)
        return corrupt("freeing reserved or invalid inode %u", raw(inode));
    uint32_t group = geometry_.group_of_inode(raw(inode));
    Result<BlockRef> ref = bitmap(group, true);
    if (!ref)
        return ref.error();
    uint32_t index = (raw(inode) - 1) % geometry_.inodes_per_group;
    if (!test_bit(ref.value().data(), index))
        return corrupt("freeing inode %u, which is already free", raw(inode));
    clear_bit(ref.value().data(), index);
    ref.value().mark_dirty();
    ++groups_[group].free_inodes_count;
    ++super_.free_inodes_count;
    if (type == FileType::Directory && groups_[group].used_dirs_count > 0)
        --groups_[group].used_dirs_count;
    descriptor_changed(group);
    return {};
}

} // namespace tessera::ext2
