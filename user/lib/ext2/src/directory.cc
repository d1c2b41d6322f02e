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
    if (h.name_len != name.length || name.length == 0)
        return false;
    const uint8_t* stored = data + offset + sizeof(disk::DirEntryHeader);
    // Names in one directory often share a prefix (file0001, file0002): the last byte first.
    return stored[name.length - 1] == static_cast<uint8_t>(name.bytes[name.length - 1]) &&
           memcmp(stored, name.bytes, name.length) == 0;
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
    if (!ref || ref.value().is_checked())
        return ref;
    Result<void> sane = check_block(ref.value().data(), index);
    if (!sane)
        return sane.error();
    ref.value().mark_checked();
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

Result<NameSearch> Directory::search(Name name)
{
    NameSearch result;
    uint32_t needed = static_cast<uint32_t>(disk::dir_entry_size(name.length));
    Result<bool> stopped = each_record([&](BlockRef& ref, uint64_t index, uint32_t offset,
                                           uint32_t previous, const disk::DirEntryHeader& h) {
        if (h.inode != 0 && same_name(ref.data(), offset, h, name)) {
            result.found = true;
            result.entry = FoundEntry{InodeNumber{h.inode}, h.file_type, {index, offset, previous}};
            return true;
        }
        if (!result.has_room) {
            uint32_t used = h.inode == 0 ? 0 : static_cast<uint32_t>(disk::dir_entry_size(h.name_len));
            if (h.rec_len - used >= needed) {
                result.has_room = true;
                result.room = EntryLocation{index, offset, previous};
            }
        }
        return false;
    });
    if (!stopped)
        return stopped.error();
    return result;
}

Result<FoundEntry> Directory::find(Name name)
{
    Result<NameSearch> searched = search(name);
    if (!searched)
        return searched.error();
    if (!searched.value().found)
        return Errno::NoEnt;
    return searched.value().entry;
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

bool Directory::place(BlockRef& ref, uint32_t offset, Name name, InodeNumber inode, uint8_t type)
{
    uint8_t* data = ref.data();
    disk::DirEntryHeader h = header_at(data, offset);
    uint32_t needed = static_cast<uint32_t>(disk::dir_entry_size(name.length));
    uint32_t used = h.inode == 0 ? 0 : static_cast<uint32_t>(disk::dir_entry_size(h.name_len));
    if (h.rec_len - used < needed)
        return false;
    uint16_t rec_len = h.rec_len;
    uint32_t at = offset;
    if (used != 0) {
        // Split: the old entry keeps what it uses, the new one takes the rest.
        h.rec_len = static_cast<uint16_t>(used);
        put_header(data, offset, h);
        rec_len = static_cast<uint16_t>(rec_len - used);
        at = offset + used;
    }
    uint8_t stored_type = volume_.geometry().filetype ? type : 0;
    put_header(data, at, {raw(inode), rec_len, static_cast<uint8_t>(name.length), stored_type});
    memcpy(data + at + sizeof(disk::DirEntryHeader), name.bytes, name.length);
    ref.mark_dirty();
    ref.mark_checked(); // the new record keeps the block well-formed
    return true;
}

Result<void> Directory::add(Name name, InodeNumber inode, uint8_t type, const NameSearch* hint)
{
    Result<void> sized = check_size();
    if (!sized)
        return sized;
    uint32_t block_size = volume_.geometry().block_size;
    uint64_t blocks = inode_.size() / block_size;
    if (hint != nullptr && hint->has_room && hint->room.block < blocks) {
        Result<BlockRef> ref = load_block(hint->room.block);
        if (!ref)
            return ref.error();
        if (place(ref.value(), hint->room.offset, name, inode, type)) {
            changed();
            return {};
        }
    }
    if (hint == nullptr || hint->has_room) {
        Result<bool> placed = each_record([&](BlockRef& ref, uint64_t, uint32_t offset, uint32_t,
                                              const disk::DirEntryHeader&) {
            return place(ref, offset, name, inode, type);
        });
        if (!placed)
            return placed.error();
        if (placed.value()) {
            changed();
            return {};
        }
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
    uint8_t stored_type = volume_.geometry().filetype ? type : 0;
    put_header(ref.value().data(), 0,
               {raw(inode), static_cast<uint16_t>(block_size), static_cast<uint8_t>(name.length), stored_type});
    memcpy(ref.value().data() + sizeof(disk::DirEntryHeader), name.bytes, name.length);
    ref.value().mark_dirty();
    ref.value().mark_checked(); // this change keeps the block well-formed
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
    ref.value().mark_checked(); // this change keeps the block well-formed
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
    ref.value().mark_checked(); // this change keeps the block well-formed
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
    ref.value().mark_checked(); // this change keeps the block well-formed
    inode_.set_size(block_size);
    return {};
}

} // namespace tessera::ext2
