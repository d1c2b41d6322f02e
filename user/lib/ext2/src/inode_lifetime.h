// Creating and destroying inodes: the record of a new inode, and freeing an inode with its blocks
// once its last name and its last hold are gone.
#pragma once

#include <tessera/ext2/errno.h>
#include <tessera/ext2/types.h>

#include "inode.h"
#include "volume.h"

namespace tessera::ext2 {

// Regular files, directories and symlinks too long for i_block map blocks; device nodes, fifos,
// sockets and fast symlinks keep other things in i_block.
bool has_block_map(const Volume& volume, const InodeData& data);

// Writes a new inode's whole record: zeros (no stale in-inode attributes), then data.
Result<void> initialize_inode(Volume& volume, InodeNumber inode, const InodeData& data);

// Sets the size, freeing blocks past it and zeroing the rest of the new last block.
Result<void> truncate_inode(Volume& volume, InodeNumber file, InodeData& data, uint64_t size);

// Frees the inode's blocks, its extended-attribute block reference and the inode itself.
Result<void> destroy_inode(Volume& volume, InodeNumber inode, InodeData& data);

} // namespace tessera::ext2
