// The volume's records: inodes, superblock and group descriptors, the read-only switch.
#include "volume.h"

#include <stdarg.h>
#include <string.h>

#include <tessera/format.h>

namespace tessera::ext2 {

bool Geometry::group_has_superblock(uint32_t group) const
{
    if (!sparse_super || group <= 1)
        return true;
    constexpr uint32_t Bases[] = {3, 5, 7};
    for (uint32_t base : Bases) {
        uint64_t power = base;
        while (power < group)
            power *= base;
        if (power == group)
            return true;
    }
    return false;
}

Volume::Volume(BlockCache& cache, Clock& clock, const Geometry& geometry,
               const disk::Superblock& super, disk::GroupDescriptor* groups,
               uint8_t* checked_groups, Access access)
    : cache_(cache), clock_(clock), geometry_(geometry), super_(super), groups_(groups),
      checked_groups_(checked_groups), read_only_(access == Access::ReadOnly),
      generation_(super.wtime ^ (uint32_t{super.mnt_count} << 20))
{
}

Errno Volume::corrupt(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    tessera_vsnprintf(problem_, sizeof problem_, format, args);
    va_end(args);
    if (!read_only_) {
        // Best effort: the volume is already known to be damaged.
        super_.state = static_cast<uint16_t>(super_.state | disk::StateErrors);
        (void)write_superblock(super_.state);
        (void)cache_.flush();
        read_only_ = true;
    }
    return Errno::Io;
}

Result<void> Volume::check_writable() const
{
    if (read_only_)
        return Errno::RoFs;
    return {};
}

Result<void> Volume::check_block_pointer(uint32_t block, const char* where)
{
    if (block != 0 && (block < geometry_.first_data_block || block >= geometry_.blocks_count))
        return corrupt("%s: block pointer %u outside the volume", where, block);
    return {};
}

namespace {
struct InodeLocation {
    uint32_t block;
    uint32_t offset;
};
} // namespace

static InodeLocation locate(const Geometry& g, const disk::GroupDescriptor* groups, uint32_t inode)
{
    uint32_t index = (inode - 1) % g.inodes_per_group;
    uint32_t group = (inode - 1) / g.inodes_per_group;
    return {groups[group].inode_table + index / g.inodes_per_block,
            (index % g.inodes_per_block) * g.inode_size};
}

Result<Volume::Record> Volume::inode_record(InodeNumber inode)
{
    if (!is_valid_inode_number(raw(inode)))
        return corrupt("inode number %u out of range", raw(inode));
    InodeLocation where = locate(geometry_, groups_, raw(inode));
    Result<BlockRef> block = cache_.get(BlockNumber{where.block}, BlockCache::Fill::Read);
    if (!block)
        return block.error();
    Record record;
    record.bytes = block.value().data() + where.offset;
    record.block = static_cast<BlockRef&&>(block.value());
    return record;
}

Result<InodeData> Volume::load_inode(InodeNumber inode)
{
    Result<Record> found = inode_record(inode);
    if (!found)
        return found.error();
    InodeData data;
    const uint8_t* record = found.value().bytes;
    memcpy(&data.raw, record, sizeof data.raw);
    data.large_sizes = geometry_.revision >= disk::DynamicRevision;
    if (geometry_.large_inodes) {
        uint32_t room = geometry_.inode_size - disk::GoodOldInodeSize;
        memcpy(&data.extra, record + disk::GoodOldInodeSize,
               room < sizeof data.extra ? room : sizeof data.extra);
        // extra_isize must cover the three time fields (128 + 16 bytes) and fit the record.
        data.extra_times = data.extra.extra_isize >= 16 && data.extra.extra_isize <= room;
    }
    return data;
}

Result<void> Volume::store_inode(InodeNumber inode, const InodeData& data)
{
    Result<Record> found = inode_record(inode);
    if (!found)
        return found.error();
    uint8_t* record = found.value().bytes;
    memcpy(record, &data.raw, sizeof data.raw);
    if (data.extra_times) {
        // Only the fields this code owns; the rest of the extra space (in-inode extended
        // attributes, crtime) stays as it is.
        memcpy(record + disk::GoodOldInodeSize, &data.extra.extra_isize, sizeof(uint16_t));
        memcpy(record + offsetof(disk::InodeExtra, ctime_extra) + disk::GoodOldInodeSize,
               &data.extra.ctime_extra, 3 * sizeof(uint32_t));
    }
    found.value().block.mark_dirty();
    return {};
}

Result<void> Volume::clear_inode_record(InodeNumber inode)
{
    Result<Record> found = inode_record(inode);
    if (!found)
        return found.error();
    memset(found.value().bytes, 0, geometry_.inode_size);
    found.value().block.mark_dirty();
    return {};
}

InodeData Volume::blank_inode()
{
    InodeData data;
    data.large_sizes = geometry_.revision >= disk::DynamicRevision;
    if (geometry_.large_inodes && geometry_.inode_size - disk::GoodOldInodeSize >= disk::NewInodeExtraIsize) {
        data.extra.extra_isize = disk::NewInodeExtraIsize;
        data.extra_times = true;
    }
    Timestamp now = clock_.now();
    data.set_atime(now);
    data.set_mtime(now);
    data.set_ctime(now);
    data.raw.generation = next_generation();
    return data;
}

void Volume::note_large_file()
{
    if (geometry_.revision >= disk::DynamicRevision &&
        (super_.feature_ro_compat & disk::RoCompatLargeFile) == 0) {
        super_.feature_ro_compat |= disk::RoCompatLargeFile;
        superblock_dirty_ = true;
    }
}

void Volume::descriptor_changed(uint32_t)
{
    descriptors_dirty_ = true;
    superblock_dirty_ = true;
}

Result<void> Volume::write_superblock(uint16_t state)
{
    uint32_t block_size = geometry_.block_size;
    uint32_t block = static_cast<uint32_t>(disk::SuperblockOffset / block_size);
    uint32_t offset = static_cast<uint32_t>(disk::SuperblockOffset % block_size);
    super_.state = state;
    super_.wtime = static_cast<uint32_t>(clock_.now().seconds);
    Result<BlockRef> ref = cache_.get(BlockNumber{block}, BlockCache::Fill::Read);
    if (!ref)
        return ref.error();
    memcpy(ref.value().data() + offset, &super_, sizeof super_);
    ref.value().mark_dirty();
    superblock_dirty_ = false;
    return {};
}

Result<void> Volume::begin_change()
{
    Result<void> writable = check_writable();
    if (!writable || changing_)
        return writable;
    changing_ = true;
    Result<void> written =
        write_superblock(static_cast<uint16_t>(super_.state & ~disk::StateValid));
    if (!written)
        return written;
    return cache_.flush();
}

Result<void> Volume::write_descriptors()
{
    if (!descriptors_dirty_)
        return {};
    uint32_t first = geometry_.first_data_block + 1;
    const uint8_t* source = reinterpret_cast<const uint8_t*>(groups_);
    for (uint32_t i = 0; i < geometry_.descriptor_blocks; ++i) {
        Result<BlockRef> ref = cache_.get(BlockNumber{first + i}, BlockCache::Fill::Overwrite);
        if (!ref)
            return ref.error();
        memcpy(ref.value().data(), source + size_t{i} * geometry_.block_size, geometry_.block_size);
        ref.value().mark_dirty();
    }
    descriptors_dirty_ = false;
    return {};
}

Result<void> Volume::write_back()
{
    if (!read_only_) {
        Result<void> written = write_descriptors();
        if (written && superblock_dirty_)
            written = write_superblock(super_.state);
        if (!written)
            return written;
    }
    return cache_.flush();
}

Result<void> Volume::sync()
{
    if (!read_only_ && (changing_ || superblock_dirty_ || descriptors_dirty_)) {
        Result<void> written = write_descriptors();
        if (!written)
            return written;
        uint16_t state = static_cast<uint16_t>(super_.state | disk::StateValid);
        written = write_superblock(state);
        if (!written)
            return written;
        changing_ = false;
    }
    Result<void> flushed = cache_.flush();
    if (!flushed)
        return flushed;
    return cache_.device().flush();
}

} // namespace tessera::ext2
