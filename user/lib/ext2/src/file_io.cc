// File contents: read (holes as zeros, whole uncached runs straight from the device), write
// (allocating on demand, sparse where never written), truncate (freeing and zeroing the tail).
#include <string.h>

#include <tessera/ext2/file_system.h>

#include "block_map.h"
#include "inode_lifetime.h"
#include "volume.h"

namespace tessera::ext2 {

namespace {

// A regular file's record: Errno::IsDir for a directory, Errno::Inval for anything else.
Result<InodeData> load_regular(Volume& volume, InodeNumber file)
{
    Result<InodeData> loaded = volume.load_inode(file);
    if (!loaded)
        return loaded;
    if (loaded.value().is_directory())
        return Errno::IsDir;
    if (!loaded.value().is_regular())
        return Errno::Inval;
    return loaded;
}

// Bytes past the end of file inside its last block must read as zeros once the file grows; the
// block may hold old data (a volume written by another system, or an earlier longer file).
Result<void> zero_tail(Volume& volume, InodeData& data, InodeNumber number, uint64_t size)
{
    uint32_t block_size = volume.geometry().block_size;
    uint32_t within = static_cast<uint32_t>(size % block_size);
    if (within == 0)
        return {};
    BlockMap map(volume, data, number);
    Result<Extent> extent = map.find(FileBlock{size / block_size}, 1);
    if (!extent)
        return extent.error();
    if (extent.value().start == 0)
        return {};
    Result<BlockRef> ref = volume.cache().get(BlockNumber{extent.value().start}, BlockCache::Fill::Read);
    if (!ref)
        return ref.error();
    uint8_t* bytes = ref.value().data();
    bool dirty = false;
    for (uint32_t i = within; i < block_size && !dirty; ++i)
        dirty = bytes[i] != 0;
    if (dirty) {
        memset(bytes + within, 0, block_size - within);
        ref.value().mark_dirty();
    }
    return {};
}

} // namespace

Result<size_t> FileSystem::read(InodeNumber file, uint64_t offset, void* buffer, size_t length)
{
    Volume& volume = *volume_;
    Result<InodeData> loaded = load_regular(volume, file);
    if (!loaded)
        return loaded.error();
    InodeData& data = loaded.value();
    uint64_t size = data.size();
    if (offset >= size || length == 0)
        return size_t{0};
    if (length > size - offset)
        length = static_cast<size_t>(size - offset);

    uint32_t block_size = volume.geometry().block_size;
    uint8_t* out = static_cast<uint8_t*>(buffer);
    BlockMap map(volume, data, file);
    size_t done = 0;
    while (done < length) {
        uint64_t position = offset + done;
        uint64_t index = position / block_size;
        uint32_t within = static_cast<uint32_t>(position % block_size);
        uint64_t blocks_left = (position + (length - done) + block_size - 1) / block_size - index;
        uint32_t limit = blocks_left > 0xFFFFFFFF ? 0xFFFFFFFF : static_cast<uint32_t>(blocks_left);
        Result<Extent> extent = map.find(FileBlock{index}, limit);
        if (!extent)
            return extent.error();
        uint64_t run_end = (index + extent.value().length) * block_size;
        size_t take = static_cast<size_t>(run_end - position);
        if (take > length - done)
            take = length - done;
        if (extent.value().start == 0) {
            memset(out + done, 0, take);
        } else if (within == 0 && take >= block_size) {
            // Whole blocks: one device request for those not cached, no cache pollution.
            uint32_t whole = static_cast<uint32_t>(take / block_size);
            Result<void> bulk = volume.cache().read_through(BlockNumber{extent.value().start}, whole, out + done);
            if (!bulk)
                return bulk.error();
            take = size_t{whole} * block_size;
        } else {
            take = take < block_size - within ? take : block_size - within;
            Result<BlockRef> ref = volume.cache().get(BlockNumber{extent.value().start}, BlockCache::Fill::Read);
            if (!ref)
                return ref.error();
            memcpy(out + done, ref.value().data() + within, take);
        }
        done += take;
    }
    return done;
}

Result<size_t> FileSystem::write(InodeNumber file, uint64_t offset, const void* buffer,
                                 size_t length)
{
    Volume& volume = *volume_;
    Result<void> writable = volume.begin_change();
    if (!writable)
        return writable.error();
    Result<InodeData> loaded = load_regular(volume, file);
    if (!loaded)
        return loaded.error();
    InodeData& data = loaded.value();
    if (length == 0)
        return size_t{0};
    uint64_t limit = volume.geometry().max_file_size;
    if (offset >= limit)
        return Errno::FBig;
    if (length > limit - offset)
        length = static_cast<size_t>(limit - offset);

    uint64_t old_size = data.size();
    if (offset > old_size) {
        Result<void> zeroed = zero_tail(volume, data, file, old_size);
        if (!zeroed)
            return zeroed.error();
    }
    uint32_t block_size = volume.geometry().block_size;
    const uint8_t* in = static_cast<const uint8_t*>(buffer);
    BlockMap map(volume, data, file);
    size_t done = 0;
    Errno failure = Errno::Ok;
    while (done < length) {
        uint64_t position = offset + done;
        uint32_t within = static_cast<uint32_t>(position % block_size);
        size_t take = block_size - within;
        if (take > length - done)
            take = length - done;
        bool fresh = false;
        Result<BlockNumber> block = map.find_or_allocate(FileBlock{position / block_size}, fresh);
        if (!block) {
            failure = block.error();
            break;
        }
        bool whole = within == 0 && take == block_size;
        BlockCache::Fill fill = whole ? BlockCache::Fill::Overwrite
                                : fresh ? BlockCache::Fill::Zero
                                        : BlockCache::Fill::Read;
        Result<BlockRef> ref = volume.cache().get(block.value(), fill);
        if (!ref) {
            failure = ref.error();
            break;
        }
        memcpy(ref.value().data() + within, in + done, take);
        ref.value().mark_dirty();
        done += take;
    }
    if (done == 0 && failure != Errno::Ok) {
        // Nothing written, but blocks may have been mapped: keep the record's counts true.
        Result<void> stored = volume.store_inode(file, data);
        (void)stored;
        return failure;
    }
    if (offset + done > old_size) {
        data.set_size(offset + done);
        if (offset + done > 0x7FFFFFFF)
            volume.note_large_file();
    }
    Timestamp now = volume.now();
    data.set_mtime(now);
    data.set_ctime(now);
    Result<void> stored = volume.store_inode(file, data);
    if (!stored)
        return stored.error();
    return done;
}

Result<void> truncate_inode(Volume& volume, InodeNumber file, InodeData& data, uint64_t size)
{
    uint64_t old_size = data.size();
    uint32_t block_size = volume.geometry().block_size;
    if (size < old_size) {
        BlockMap map(volume, data, file);
        Result<void> freed = map.free_from(FileBlock{(size + block_size - 1) / block_size});
        if (!freed)
            return freed;
    }
    Result<void> zeroed = zero_tail(volume, data, file, size < old_size ? size : old_size);
    if (!zeroed)
        return zeroed;
    data.set_size(size);
    if (size > 0x7FFFFFFF)
        volume.note_large_file();
    return {};
}

Result<void> FileSystem::truncate(InodeNumber file, uint64_t size)
{
    Volume& volume = *volume_;
    Result<void> writable = volume.begin_change();
    if (!writable)
        return writable;
    Result<InodeData> loaded = load_regular(volume, file);
    if (!loaded)
        return loaded.error();
    InodeData& data = loaded.value();
    if (size > volume.geometry().max_file_size)
        return Errno::FBig;
    Result<void> truncated = truncate_inode(volume, file, data, size);
    if (!truncated)
        return truncated;
    Timestamp now = volume.now();
    data.set_mtime(now);
    data.set_ctime(now);
    return volume.store_inode(file, data);
}

} // namespace tessera::ext2
