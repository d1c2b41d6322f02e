// Directory entries on disk: every block is checked before use (record lengths inside the block,
// names inside their records, inode numbers in range), so a damaged directory reads as Errno::Io
// and turns the volume read-only instead of walking off a buffer.
#include "directory.h"

#include <string.h>

#include "block_map.h"

namespace tessera::ext2 {

namespace {
constexpr size_t MinimumRecord = disk::dir_entry_size(1);

disk::DirEntryHeader header_at(const uint8_t* data, uint32_t offset)
{
    disk::DirEntryHeader header;
    memcpy(&header, data + offset, sizeof header);
    return header;
}

void put_header(uint8_t* data, uint32_t offset, const disk::DirEntryHeader& header)
{
    memcpy(data + offset, &header, sizeof header);
}

bool same_name(const uint8_t* data, uint32_t offset, const disk::DirEntryHeader& h, Name name)
{
    return h.name_len == name.length &&
           memcmp(data + offset + sizeof(disk::DirEntryHeader), name.bytes, name.length) == 0;
}
} // namespace

uint8_t entry_type_of(FileType type)
{
    switch (type) {
    case FileType::Regular: return disk::DirTypeRegular;
    case FileType::Directory: return disk::DirTypeDirectory;
    case FileType::CharDevice: return disk::DirTypeCharDevice;
    case FileType::BlockDevice: return disk::DirTypeBlockDevice;
    case FileType::Fifo: return disk::DirTypeFifo;
    case FileType::Socket: return disk::DirTypeSocket;
    case FileType::Symlink: return disk::DirTypeSymlink;
    case FileType::None: break;
    }
    return disk::DirTypeUnknown;
}

FileType file_type_of_entry(uint8_t entry_type)
{
    switch (entry_type) {
    case disk::DirTypeRegular: return FileType::Regular;
    case disk::DirTypeDirectory: return FileType::Directory;
    case disk::DirTypeCharDevice: return FileType::CharDevice;
    case disk::DirTypeBlockDevice: return FileType::BlockDevice;
    case disk::DirTypeFifo: return FileType::Fifo;
    case disk::DirTypeSocket: return FileType::Socket;
    case disk::DirTypeSymlink: return FileType::Symlink;
    default: return FileType::None;
    }
}

bool is_dot(Name name) { return name.length == 1 && name.bytes[0] == '.'; }
bool is_dot_dot(Name name) { return name.length == 2 && name.bytes[0] == '.' && name.bytes[1] == '.'; }

Result<void> Directory::check_size()
{
    uint64_t size = inode_.size();
    if (size % volume_.geometry().block_size != 0)
        return volume_.corrupt("directory %u: size %llu not a multiple of the block size",
                               raw(number_), static_cast<unsigned long long>(size));
    return {};
}

Result<void> Directory::check_block(const uint8_t* data, uint64_t index)
{
    uint32_t block_size = volume_.geometry().block_size;
    uint32_t offset = 0;
    while (offset < block_size) {
        if (block_size - offset < MinimumRecord)
            return volume_.corrupt("directory %u block %llu: entry at %u cut off", raw(number_),
                                   static_cast<unsigned long long>(index), offset);
        disk::DirEntryHeader h = header_at(data, offset);
        if (h.rec_len < MinimumRecord || h.rec_len % 4 != 0 || h.rec_len > block_size - offset ||
            disk::dir_entry_size(h.name_len) > h.rec_len ||
            (h.inode != 0 && !volume_.is_valid_inode_number(h.inode)) ||
            // Without the filetype feature that byte is the high half of the name length.
            (!volume_.geometry().filetype && h.file_type != 0))
            return volume_.corrupt("directory %u block %llu: bad entry at %u (inode %u, "
                                   "record %u, name %u)",
                                   raw(number_), static_cast<unsigned long long>(index), offset,
                                   h.inode, h.rec_len, h.name_len);
        offset += h.rec_len;
    }
    return {};
}

Result<BlockRef> Directory::load_block(uint64_t index)
{
    BlockMap map(volume_, inode_, number_);
    Result<Extent> extent = map.find(FileBlock{index}, 1);
    if (!extent)
        return extent.error();
    if (extent.value().start == 0)
        return volume_.corrupt("directory %u: hole at block %llu", raw(number_),
                               static_cast<unsigned long long>(index));
    Result<BlockRef> ref = volume_.cache().get(BlockNumber{extent.value().start}, BlockCache::Fill::Read);
    if (!ref)
        return ref;
    Result<void> sane = check_block(ref.value().data(), index);
    if (!sane)
        return sane.error();
    return ref;
}

template <class Visit> Result<bool> Directory::each_record(Visit&& visit)
{
    Result<void> sized = check_size();
    if (!sized)
        return sized.error();
    uint32_t block_size = volume_.geometry().block_size;
    uint64_t blocks = inode_.size() / block_size;
    for (uint64_t index = 0; index < blocks; ++index) {
        Result<BlockRef> ref = load_block(index);
        if (!ref)
            return ref.error();
        uint32_t previous = 0;
        for (uint32_t offset = 0; offset < block_size;) {
            disk::DirEntryHeader h = header_at(ref.value().data(), offset);
            if (visit(ref.value(), index, offset, previous, h))
                return true;
            previous = offset;
            offset += h.rec_len;
        }
    }
    return false;
}

Result<FoundEntry> Directory::find(Name name)
{
    FoundEntry found;
    Result<bool> stopped = each_record([&](BlockRef& ref, uint64_t index, uint32_t offset,
                                           uint32_t previous, const disk::DirEntryHeader& h) {
        if (h.inode == 0 || !same_name(ref.data(), offset, h, name))
            return false;
        found = FoundEntry{InodeNumber{h.inode}, h.file_type, {index, offset, previous}};
        return true;
    });
    if (!stopped)
        return stopped.error();
    if (!stopped.value())
        return Errno::NoEnt;
    return found;
}

Result<uint64_t> Directory::iterate(uint64_t cursor, DirectoryVisitor& visitor)
{
    Result<void> sized = check_size();
    if (!sized)
        return sized.error();
    uint32_t block_size = volume_.geometry().block_size;
    uint64_t size = inode_.size();
    while (cursor < size) {
        uint64_t index = cursor / block_size;
        uint32_t start = static_cast<uint32_t>(cursor % block_size);
        Result<BlockRef> ref = load_block(index);
        if (!ref)
            return ref.error();
        const uint8_t* data = ref.value().data();
        // A cursor inside a record (entries merged since it was handed out) moves to the next.
        for (uint32_t offset = 0; offset < block_size;) {
            disk::DirEntryHeader h = header_at(data, offset);
            uint32_t next = offset + h.rec_len;
            if (offset >= start && h.inode != 0) {
                DirectoryEntry entry;
                entry.inode = InodeNumber{h.inode};
                entry.type = volume_.geometry().filetype ? file_type_of_entry(h.file_type) : FileType::None;
                entry.name = Name{reinterpret_cast<const char*>(data + offset + sizeof h), h.name_len};
                entry.next_cursor = index * block_size + next;
                if (!visitor.visit(entry))
                    return index * block_size + offset;
            }
            offset = next;
        }
        cursor = (index + 1) * block_size;
    }
    return size;
}

void Directory::changed()
{
    Timestamp now = volume_.now();
    inode_.set_mtime(now);
    inode_.set_ctime(now);
    inode_.raw.flags &= ~disk::FlagIndex;
}

Result<void> Directory::add(Name name, InodeNumber inode, uint8_t type)
{
    Result<void> sized = check_size();
    if (!sized)
        return sized;
    uint32_t block_size = volume_.geometry().block_size;
    uint32_t needed = static_cast<uint32_t>(disk::dir_entry_size(name.length));
    uint8_t stored_type = volume_.geometry().filetype ? type : 0;
    uint64_t blocks = inode_.size() / block_size;
    auto write_entry = [&](uint8_t* data, uint32_t offset, uint16_t rec_len) {
        put_header(data, offset,
                   {raw(inode), rec_len, static_cast<uint8_t>(name.length), stored_type});
        memcpy(data + offset + sizeof(disk::DirEntryHeader), name.bytes, name.length);
    };
    Result<bool> placed = each_record([&](BlockRef& ref, uint64_t, uint32_t offset, uint32_t,
                                          disk::DirEntryHeader h) {
        uint32_t used = h.inode == 0 ? 0 : static_cast<uint32_t>(disk::dir_entry_size(h.name_len));
        if (h.rec_len - used < needed)
            return false;
        uint8_t* data = ref.data();
        if (used == 0) {
            write_entry(data, offset, h.rec_len);
        } else {
            // Split: the old entry keeps what it uses, the new one takes the rest.
            uint16_t rest = static_cast<uint16_t>(h.rec_len - used);
            h.rec_len = static_cast<uint16_t>(used);
            put_header(data, offset, h);
            write_entry(data, offset + used, rest);
        }
        ref.mark_dirty();
        return true;
    });
    if (!placed)
        return placed.error();
    if (placed.value()) {
        changed();
        return {};
    }
    // No room: one more block holding just this entry.
    BlockMap map(volume_, inode_, number_);
    bool fresh = false;
    Result<BlockNumber> block = map.find_or_allocate(FileBlock{blocks}, fresh);
    if (!block)
        return block.error();
    Result<BlockRef> ref = volume_.cache().get(block.value(), BlockCache::Fill::Zero);
    if (!ref)
        return ref.error();
    write_entry(ref.value().data(), 0, static_cast<uint16_t>(block_size));
    ref.value().mark_dirty();
    inode_.set_size((blocks + 1) * block_size);
    changed();
    return {};
}

Result<void> Directory::remove(const EntryLocation& where)
{
    Result<BlockRef> ref = load_block(where.block);
    if (!ref)
        return ref.error();
    uint8_t* data = ref.value().data();
    disk::DirEntryHeader h = header_at(data, where.offset);
    if (where.offset == 0) {
        h.inode = 0;
        put_header(data, 0, h);
    } else {
        // The record before absorbs this one (Linux's ext2 does the same).
        disk::DirEntryHeader before = header_at(data, where.previous);
        before.rec_len = static_cast<uint16_t>(before.rec_len + h.rec_len);
        put_header(data, where.previous, before);
    }
    ref.value().mark_dirty();
    changed();
    return {};
}

Result<void> Directory::retarget(const EntryLocation& where, InodeNumber inode, uint8_t type)
{
    Result<BlockRef> ref = load_block(where.block);
    if (!ref)
        return ref.error();
    uint8_t* data = ref.value().data();
    disk::DirEntryHeader h = header_at(data, where.offset);
    h.inode = raw(inode);
    if (volume_.geometry().filetype)
        h.file_type = type;
    put_header(data, where.offset, h);
    ref.value().mark_dirty();
    changed();
    return {};
}

Result<bool> Directory::is_empty()
{
    Result<bool> other = each_record([&](BlockRef& ref, uint64_t, uint32_t offset, uint32_t,
                                         const disk::DirEntryHeader& h) {
        if (h.inode == 0)
            return false;
        Name name{reinterpret_cast<const char*>(ref.data() + offset + sizeof h), h.name_len};
        return !is_dot(name) && !is_dot_dot(name);
    });
    if (!other)
        return other.error();
    return !other.value();
}

Result<void> Directory::initialize(InodeNumber parent)
{
    uint32_t block_size = volume_.geometry().block_size;
    BlockMap map(volume_, inode_, number_);
    bool fresh = false;
    Result<BlockNumber> block = map.find_or_allocate(FileBlock{0}, fresh);
    if (!block)
        return block.error();
    Result<BlockRef> ref = volume_.cache().get(block.value(), BlockCache::Fill::Zero);
    if (!ref)
        return ref.error();
    uint8_t* data = ref.value().data();
    uint8_t type = volume_.geometry().filetype ? disk::DirTypeDirectory : 0;
    uint16_t dot = static_cast<uint16_t>(disk::dir_entry_size(1));
    put_header(data, 0, {raw(number_), dot, 1, type});
    data[8] = '.';
    put_header(data, dot, {raw(parent), static_cast<uint16_t>(block_size - dot), 2, type});
    data[dot + 8] = '.';
    data[dot + 9] = '.';
    ref.value().mark_dirty();
    inode_.set_size(block_size);
    return {};
}

} // namespace tessera::ext2
