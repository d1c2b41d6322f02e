// Requests on an open file: READ, WRITE, FSTAT, TRUNCATE, SETATTR, FSYNC.
#include "request_context.h"
#include "service.h"

namespace tessera::services::ext2 {

using tessera::ext2::AttributeChange;
using tessera::ext2::Timestamp;

namespace {
constexpr uint64_t OffsetMax = uint64_t{INT64_MAX}; // POSIX's off_t is signed

struct MaskBit {
    uint64_t protocol;
    uint32_t change;
};
constexpr MaskBit MaskBits[] = {
    {TESSERA_FS_SET_MODE, AttributeChange::Mode},
    {TESSERA_FS_SET_UID, AttributeChange::Uid},
    {TESSERA_FS_SET_GID, AttributeChange::Gid},
    {TESSERA_FS_SET_ATIME, AttributeChange::Atime},
    {TESSERA_FS_SET_MTIME, AttributeChange::Mtime},
    {TESSERA_FS_SET_ATIME_NOW, AttributeChange::AtimeNow},
    {TESSERA_FS_SET_MTIME_NOW, AttributeChange::MtimeNow},
};
} // namespace

Reply Service::read(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    if (slot.value()->flags & HandleSlot::Directory)
        return failure(Errno::IsDir);
    if ((slot.value()->flags & HandleSlot::Readable) == 0)
        return failure(Errno::BadF);
    uint64_t offset = c.word(1);
    uint64_t length = c.word(2);
    if (offset > OffsetMax || length > c.client.window_bytes)
        return failure(Errno::Inval);
    Result<size_t> got = c.fs.read(InodeNumber{slot.value()->inode}, offset, c.client.window, length);
    if (!got)
        return failure(got.error());
    return success(1, got.value());
}

Reply Service::write(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    if ((slot.value()->flags & HandleSlot::Writable) == 0)
        return failure(Errno::BadF);
    InodeNumber inode{slot.value()->inode};
    uint64_t offset = c.word(1);
    uint64_t length = c.word(2);
    if (offset > OffsetMax || length > c.client.window_bytes)
        return failure(Errno::Inval);
    if (slot.value()->flags & HandleSlot::Append) {
        Result<Attributes> attributes = c.fs.stat(inode);
        if (!attributes)
            return failure(attributes.error());
        offset = attributes.value().size;
    }
    Result<size_t> wrote = c.fs.write(inode, offset, c.client.window, length);
    if (!wrote)
        return failure(wrote.error());
    return success(2, wrote.value(), offset + wrote.value());
}

Reply Service::fstat(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    Result<Attributes> attributes = c.fs.stat(InodeNumber{slot.value()->inode});
    if (!attributes)
        return failure(attributes.error());
    encode_stat(attributes.value(), c.client.window);
    return success();
}

Reply Service::truncate(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    // Linux's ftruncate on a descriptor not open for writing.
    if ((slot.value()->flags & HandleSlot::Writable) == 0)
        return failure(Errno::Inval);
    if (c.word(1) > OffsetMax)
        return failure(Errno::Inval);
    Result<void> done = c.fs.truncate(InodeNumber{slot.value()->inode}, c.word(1));
    return done ? success() : failure(done.error());
}

Reply Service::set_attributes(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    Result<void> writable = check_writable(c);
    if (!writable)
        return failure(writable.error());
    uint64_t mask = c.word(1);
    if (mask & ~uint64_t{0x7F})
        return failure(Errno::Inval);
    AttributeChange change;
    for (const MaskBit& bit : MaskBits)
        if (mask & bit.protocol)
            change.mask |= bit.change;
    if (c.word(6) >= 1000000000 || c.word(8) >= 1000000000)
        return failure(Errno::Inval);
    change.mode = static_cast<uint16_t>(c.word(2));
    change.uid = static_cast<uint32_t>(c.word(3));
    change.gid = static_cast<uint32_t>(c.word(4));
    change.atime = Timestamp{static_cast<int64_t>(c.word(5)), static_cast<uint32_t>(c.word(6))};
    change.mtime = Timestamp{static_cast<int64_t>(c.word(7)), static_cast<uint32_t>(c.word(8))};
    Result<void> done = c.fs.set_attributes(InodeNumber{slot.value()->inode}, change);
    return done ? success() : failure(done.error());
}

Reply Service::fsync(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    if (c.fs.is_read_only())
        return success();
    Result<void> done = c.fs.fsync(InodeNumber{slot.value()->inode});
    return done ? success() : failure(done.error());
}

} // namespace tessera::services::ext2
