// Attributes and the volume as a whole: stat, setattr, statfs, sync.
#include <string.h>

#include <tessera/ext2/file_system.h>

#include "inode_lifetime.h"
#include "volume.h"

namespace tessera::ext2 {

bool FileSystem::is_read_only() const { return volume_->is_read_only(); }
const char* FileSystem::problem() const { return volume_->problem(); }
Result<void> FileSystem::check_writable() const { return volume_->check_writable(); }

Result<Attributes> FileSystem::stat(InodeNumber inode)
{
    Result<InodeData> loaded = volume_->load_inode(inode);
    if (!loaded)
        return loaded.error();
    const InodeData& data = loaded.value();
    Attributes a;
    a.inode = inode;
    a.mode = data.raw.mode;
    a.links = data.raw.links_count;
    a.uid = data.uid();
    a.gid = data.gid();
    a.size = data.size();
    a.blocks = data.raw.blocks;
    a.block_size = volume_->geometry().block_size;
    a.generation = data.raw.generation;
    FileType type = data.type();
    if (type == FileType::CharDevice || type == FileType::BlockDevice) {
        // Old encoding (major << 8 | minor) in block[0], Linux's new one in block[1].
        a.device = data.raw.block[0] != 0 ? data.raw.block[0] : data.raw.block[1];
    }
    a.atime = data.atime();
    a.mtime = data.mtime();
    a.ctime = data.ctime();
    return a;
}

Result<void> FileSystem::set_attributes(InodeNumber inode, const AttributeChange& change)
{
    Volume& volume = *volume_;
    Result<void> writable = volume.begin_change();
    if (!writable)
        return writable;
    Result<InodeData> loaded = volume.load_inode(inode);
    if (!loaded)
        return loaded.error();
    InodeData& data = loaded.value();
    Timestamp now = volume.now();
    if (change.mask & AttributeChange::Size) {
        if (data.is_directory())
            return Errno::IsDir;
        if (!data.is_regular())
            return Errno::Inval;
        if (change.size > volume.geometry().max_file_size)
            return Errno::FBig;
        Result<void> truncated = truncate_inode(volume, inode, data, change.size);
        if (!truncated)
            return truncated;
        data.set_mtime(now);
    }
    if (change.mask & AttributeChange::Mode)
        data.raw.mode = static_cast<uint16_t>((data.raw.mode & ModeTypeMask) |
                                              (change.mode & ModePermissionMask));
    if (change.mask & AttributeChange::Uid)
        data.set_uid(change.uid);
    if (change.mask & AttributeChange::Gid)
        data.set_gid(change.gid);
    if (change.mask & AttributeChange::Atime)
        data.set_atime(change.atime);
    if (change.mask & AttributeChange::AtimeNow)
        data.set_atime(now);
    if (change.mask & AttributeChange::Mtime)
        data.set_mtime(change.mtime);
    if (change.mask & AttributeChange::MtimeNow)
        data.set_mtime(now);
    data.set_ctime(now);
    return volume.store_inode(inode, data);
}

VolumeStatistics FileSystem::statistics() const
{
    const Volume& volume = *volume_;
    const disk::Superblock& s = volume.superblock();
    VolumeStatistics v;
    v.block_size = volume.geometry().block_size;
    v.blocks = volume.geometry().blocks_count;
    v.free_blocks = volume.free_blocks();
    v.available_blocks = v.free_blocks > s.r_blocks_count ? v.free_blocks - s.r_blocks_count : 0;
    v.inodes = volume.geometry().inodes_count;
    v.free_inodes = volume.free_inodes();
    v.name_max = NameMax;
    uint64_t low = 0;
    uint64_t high = 0;
    memcpy(&low, s.uuid, 8);
    memcpy(&high, s.uuid + 8, 8);
    v.fsid = low ^ high;
    v.read_only = volume.is_read_only();
    return v;
}

Result<void> FileSystem::sync() { return volume_->sync(); }
Result<void> FileSystem::write_back() { return volume_->write_back(); }

Result<void> FileSystem::fsync(InodeNumber inode)
{
    if (!volume_->is_valid_inode_number(raw(inode)))
        return Errno::BadF;
    return volume_->sync();
}

Result<void> FileSystem::drop_caches()
{
    Result<void> synced = volume_->sync();
    if (!synced)
        return synced;
    return volume_->cache().empty();
}

} // namespace tessera::ext2
