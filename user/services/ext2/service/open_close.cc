// OPEN and CLOSE: a handle is an inode held open, with the rights it was opened with.
#include "request_context.h"
#include "service.h"

namespace tessera::services::ext2 {

namespace {

// The inode OPEN names: created when O_CREAT finds nothing, else looked up.
Result<InodeNumber> find_or_create(RequestContext& c, Name path, uint64_t flags, uint16_t mode)
{
    PathWalker::Follow follow =
        (flags & TESSERA_FS_O_NOFOLLOW) ? PathWalker::Follow::No : PathWalker::Follow::Yes;
    if ((flags & TESSERA_FS_O_CREAT) == 0)
        return resolve(c, path, follow);
    Result<Target> parent = parent_of(c, path);
    if (!parent)
        return parent.error();
    if (parent.value().name.length == 0)
        return Errno::IsDir; // the root itself
    const Target& where = parent.value();
    // Try to create first: for a new name one search of the directory does it all.
    Errno outcome = Errno::Exist;
    if (check_writable(c)) {
        Result<InodeNumber> created = c.fs.create(where.directory, where.name, mode, 0, 0);
        if (created || created.error() != Errno::Exist)
            return created;
    } else {
        Result<InodeNumber> existing = c.fs.lookup(where.directory, where.name);
        if (!existing)
            outcome = existing.error() == Errno::NoEnt ? Errno::RoFs : existing.error();
    }
    if (outcome != Errno::Exist)
        return outcome;
    if (flags & TESSERA_FS_O_EXCL)
        return Errno::Exist;
    return resolve(c, path, follow);
}

} // namespace

Reply Service::open(Context& c)
{
    uint64_t flags = c.word(1);
    uint64_t access = flags & TESSERA_FS_O_ACCMODE;
    if (access == TESSERA_FS_O_ACCMODE)
        return failure(Errno::Inval);
    Result<Name> path = take_path(c, 0, 0, c.path_buffers[0]);
    if (!path)
        return failure(path.error());
    Result<InodeNumber> inode = find_or_create(c, path.value(), flags, static_cast<uint16_t>(c.word(2) & 07777));
    if (!inode)
        return failure(inode.error());
    Result<Attributes> attributes = c.fs.stat(inode.value());
    if (!attributes)
        return failure(attributes.error());
    FileType type = tessera::ext2::file_type(attributes.value().mode);
    bool wants_write = access != TESSERA_FS_O_RDONLY || (flags & TESSERA_FS_O_TRUNC);
    uint32_t rights = access == TESSERA_FS_O_WRONLY ? HandleSlot::Writable
                      : access == TESSERA_FS_O_RDWR ? HandleSlot::Readable | HandleSlot::Writable
                                                    : HandleSlot::Readable;
    if (flags & TESSERA_FS_O_APPEND)
        rights |= HandleSlot::Append;
    if (type == FileType::Symlink)
        return failure(Errno::Loop); // O_NOFOLLOW on a symlink
    if (type == FileType::Directory) {
        if (wants_write)
            return failure(Errno::IsDir);
        rights |= HandleSlot::Directory;
    } else if (flags & TESSERA_FS_O_DIRECTORY) {
        return failure(Errno::NotDir);
    }
    if (wants_write) {
        Result<void> writable = check_writable(c);
        if (!writable)
            return failure(writable.error());
    }
    if ((flags & TESSERA_FS_O_TRUNC) && type == FileType::Regular && attributes.value().size > 0) {
        Result<void> truncated = c.fs.truncate(inode.value(), 0);
        if (!truncated)
            return failure(truncated.error());
        attributes.value().size = 0;
    }
    Result<void> held = c.fs.hold(inode.value());
    if (!held)
        return failure(held.error());
    int64_t handle = c.handles.add(inode.value(), attributes.value().generation, rights);
    if (handle < 0) {
        (void)c.fs.release(inode.value());
        return failure(Errno::MFile);
    }
    return success(3, static_cast<uint64_t>(handle), attributes.value().mode, attributes.value().size);
}

Reply Service::close(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    InodeNumber inode{slot.value()->inode};
    c.handles.remove(c.word(0));
    Result<void> released = c.fs.release(inode);
    if (!released)
        return failure(released.error());
    return success();
}

} // namespace tessera::services::ext2
