// Requests that name paths: STAT, MKDIR, RMDIR, UNLINK, RENAME, LINK, SYMLINK, READLINK.
// Every path is resolved under the client's root (tessera/ext2/path_walker.h).
#include "request_context.h"
#include "service.h"

namespace tessera::services::ext2 {

namespace {

// A writable client's first path as a target to change; `empty` is the error when the path is
// the client's root itself.
Result<Target> changeable_target(RequestContext& c, unsigned length_word, uint64_t offset,
                                 int buffer, Errno empty)
{
    Result<void> writable = check_writable(c);
    if (!writable)
        return writable.error();
    Result<Name> path = take_path(c, length_word, offset, c.path_buffers[buffer]);
    if (!path)
        return path.error();
    Result<Target> target = parent_of(c, path.value());
    if (!target)
        return target;
    if (target.value().name.length == 0)
        return empty;
    return target;
}

Reply reply_of(const Result<void>& done) { return done ? success() : failure(done.error()); }

} // namespace

Reply Service::stat(Context& c)
{
    Result<Name> path = take_path(c, 0, 0, c.path_buffers[0]);
    if (!path)
        return failure(path.error());
    Result<InodeNumber> inode =
        resolve(c, path.value(), c.word(1) ? PathWalker::Follow::Yes : PathWalker::Follow::No);
    if (!inode)
        return failure(inode.error());
    Result<Attributes> attributes = c.fs.stat(inode.value());
    if (!attributes)
        return failure(attributes.error());
    encode_stat(attributes.value(), c.client.window);
    return success();
}

Reply Service::make_directory(Context& c)
{
    Result<Target> target = changeable_target(c, 0, 0, 0, Errno::Exist);
    if (!target)
        return failure(target.error());
    Result<InodeNumber> made = c.fs.make_directory(target.value().directory, target.value().name,
                                                   static_cast<uint16_t>(c.word(1) & 07777), 0, 0);
    return made ? success() : failure(made.error());
}

Reply Service::remove(Context& c, bool directory)
{
    Result<Target> target =
        changeable_target(c, 0, 0, 0, directory ? Errno::Busy : Errno::IsDir);
    if (!target)
        return failure(target.error());
    return reply_of(directory ? c.fs.remove_directory(target.value().directory, target.value().name)
                              : c.fs.unlink(target.value().directory, target.value().name));
}

Reply Service::rename(Context& c)
{
    Result<Target> from = changeable_target(c, 0, 0, 0, Errno::Busy);
    if (!from)
        return failure(from.error());
    Result<Target> to = changeable_target(c, 1, c.word(0), 1, Errno::Busy);
    if (!to)
        return failure(to.error());
    return reply_of(c.fs.rename(from.value().directory, from.value().name, to.value().directory,
                                to.value().name));
}

Reply Service::link(Context& c)
{
    Result<void> writable = check_writable(c);
    if (!writable)
        return failure(writable.error());
    Result<Name> existing = take_path(c, 0, 0, c.path_buffers[0]);
    if (!existing)
        return failure(existing.error());
    // link(2) does not follow a final symlink: the new name is another name of the link.
    Result<InodeNumber> inode = resolve(c, existing.value(), PathWalker::Follow::No);
    if (!inode)
        return failure(inode.error());
    Result<Target> to = changeable_target(c, 1, c.word(0), 1, Errno::Exist);
    if (!to)
        return failure(to.error());
    return reply_of(c.fs.link(inode.value(), to.value().directory, to.value().name));
}

Reply Service::symlink(Context& c)
{
    // The target is text, stored as it is: it is resolved (under the reader's root) when used.
    Result<Name> target = take_path(c, 0, 0, c.path_buffers[0]);
    if (!target)
        return failure(target.error());
    Result<Target> where = changeable_target(c, 1, c.word(0), 1, Errno::Exist);
    if (!where)
        return failure(where.error());
    Result<InodeNumber> made =
        c.fs.make_symlink(where.value().directory, where.value().name, target.value(), 0, 0);
    return made ? success() : failure(made.error());
}

Reply Service::read_link(Context& c)
{
    Result<Name> path = take_path(c, 0, 0, c.path_buffers[0]);
    if (!path)
        return failure(path.error());
    Result<InodeNumber> inode = resolve(c, path.value(), PathWalker::Follow::No);
    if (!inode)
        return failure(inode.error());
    Result<size_t> length = c.fs.read_link(inode.value(), reinterpret_cast<char*>(c.client.window),
                                           c.client.window_bytes);
    return length ? success(1, length.value()) : failure(length.error());
}

} // namespace tessera::services::ext2
