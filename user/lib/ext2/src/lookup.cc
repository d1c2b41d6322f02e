// Reading the namespace: lookup, readdir, readlink.
#include <string.h>

#include <tessera/ext2/file_system.h>

#include "block_map.h"
#include "directory.h"
#include "inode_lifetime.h"
#include "operation_helpers.h"

namespace tessera::ext2 {

Result<InodeNumber> FileSystem::lookup(InodeNumber directory, Name name)
{
    Result<void> valid = check_name(name);
    if (!valid)
        return valid.error();
    Result<InodeData> dir = load_directory(*volume_, directory);
    if (!dir)
        return dir.error();
    Directory entries(*volume_, dir.value(), directory);
    Result<FoundEntry> found = entries.find(name);
    if (!found)
        return found.error();
    return found.value().inode;
}

Result<uint64_t> FileSystem::read_directory(InodeNumber directory, uint64_t cursor,
                                            DirectoryVisitor& visitor)
{
    Result<InodeData> dir = load_directory(*volume_, directory);
    if (!dir)
        return dir.error();
    Directory entries(*volume_, dir.value(), directory);
    return entries.iterate(cursor, visitor);
}

Result<size_t> FileSystem::read_link(InodeNumber symlink, char* buffer, size_t capacity)
{
    Volume& volume = *volume_;
    Result<InodeData> loaded = volume.load_inode(symlink);
    if (!loaded)
        return loaded.error();
    InodeData& data = loaded.value();
    if (!data.is_symlink())
        return Errno::Inval;
    uint64_t size = data.size();
    uint32_t block_size = volume.geometry().block_size;
    if (size == 0 || size >= block_size)
        return volume.corrupt("symlink %u: length %llu invalid", raw(symlink),
                              static_cast<unsigned long long>(size));
    size_t length = static_cast<size_t>(size);
    size_t copy = length < capacity ? length : capacity;
    if (!has_block_map(volume, data)) {
        if (length >= disk::FastSymlinkMax)
            return volume.corrupt("symlink %u: fast symlink of %zu bytes", raw(symlink), length);
        memcpy(buffer, data.raw.block, copy);
        return length;
    }
    BlockMap map(volume, data, symlink);
    Result<Extent> extent = map.find(FileBlock{0}, 1);
    if (!extent)
        return extent.error();
    if (extent.value().start == 0)
        return volume.corrupt("symlink %u: no data block", raw(symlink));
    Result<BlockRef> ref = volume.cache().get(BlockNumber{extent.value().start}, BlockCache::Fill::Read);
    if (!ref)
        return ref.error();
    memcpy(buffer, ref.value().data(), copy);
    return length;
}

} // namespace tessera::ext2
