// Inode birth and death.
#include "inode_lifetime.h"

#include <string.h>

#include "block_map.h"

namespace tessera::ext2 {

bool has_block_map(const Volume& volume, const InodeData& data)
{
    if (data.is_regular() || data.is_directory())
        return true;
    if (!data.is_symlink())
        return false;
    // A fast symlink owns no blocks but, perhaps, an extended-attribute block.
    uint32_t xattr_sectors = data.raw.file_acl != 0 ? volume.geometry().block_size / 512 : 0;
    return data.raw.blocks != xattr_sectors;
}

Result<void> initialize_inode(Volume& volume, InodeNumber inode, const InodeData& data)
{
    Result<void> cleared = volume.clear_inode_record(inode);
    if (!cleared)
        return cleared;
    return volume.store_inode(inode, data);
}

Result<void> destroy_inode(Volume& volume, InodeNumber inode, InodeData& data)
{
    if (has_block_map(volume, data)) {
        BlockMap map(volume, data, inode);
        Result<void> freed = map.free_from(FileBlock{0});
        if (!freed)
            return freed;
    }
    BlockMap map(volume, data, inode);
    Result<void> released = map.release_xattr_block();
    if (!released)
        return released;
    FileType type = data.type();
    data.raw.links_count = 0;
    data.raw.dtime = static_cast<uint32_t>(volume.now().seconds);
    data.set_size(0);
    Result<void> stored = volume.store_inode(inode, data);
    if (!stored)
        return stored;
    return volume.free_inode(inode, type);
}

} // namespace tessera::ext2
