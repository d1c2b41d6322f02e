#include "request_context.h"

#include <string.h>

namespace tessera::services::ext2 {

Reply failure(Errno error)
{
    Reply reply;
    reply.error = static_cast<uint64_t>(error);
    return reply;
}

Reply success(uint32_t count, uint64_t a, uint64_t b, uint64_t c)
{
    Reply reply;
    reply.word_count = count;
    reply.words[0] = a;
    reply.words[1] = b;
    reply.words[2] = c;
    return reply;
}

Result<Name> take_path(RequestContext& c, unsigned length_word, uint64_t offset, char* buffer)
{
    uint64_t length = c.word(length_word);
    if (length == 0)
        return Errno::NoEnt;
    if (length >= TESSERA_FS_PATH_MAX)
        return Errno::NameTooLong;
    if (offset > c.client.window_bytes || length > c.client.window_bytes - offset)
        return Errno::Fault;
    memcpy(buffer, c.client.window + offset, length);
    if (memchr(buffer, '\0', length) != nullptr)
        return Errno::Inval;
    return Name{buffer, static_cast<size_t>(length)};
}

Result<Target> parent_of(RequestContext& c, Name path)
{
    Result<PathWalker::Parent> parent = c.walker.resolve_parent(c.client.root, path.bytes, path.length);
    if (!parent)
        return parent.error();
    return Target{parent.value().directory, parent.value().name};
}

Result<InodeNumber> resolve(RequestContext& c, Name path, PathWalker::Follow follow)
{
    return c.walker.resolve(c.client.root, path.bytes, path.length, follow);
}

Result<void> check_writable(const RequestContext& c)
{
    if (c.client.access == Access::ReadOnly)
        return Errno::RoFs;
    return {};
}

Result<HandleSlot*> handle_of(RequestContext& c, unsigned handle_word)
{
    HandleSlot* slot = c.handles.find(c.word(handle_word));
    if (slot == nullptr)
        return Errno::BadF;
    return slot;
}

uint8_t protocol_type(FileType type)
{
    switch (type) {
    case FileType::Regular: return TESSERA_FS_TYPE_REGULAR;
    case FileType::Directory: return TESSERA_FS_TYPE_DIRECTORY;
    case FileType::CharDevice: return TESSERA_FS_TYPE_CHAR_DEVICE;
    case FileType::BlockDevice: return TESSERA_FS_TYPE_BLOCK_DEVICE;
    case FileType::Fifo: return TESSERA_FS_TYPE_FIFO;
    case FileType::Socket: return TESSERA_FS_TYPE_SOCKET;
    case FileType::Symlink: return TESSERA_FS_TYPE_SYMLINK;
    case FileType::None: break;
    }
    return TESSERA_FS_TYPE_UNKNOWN;
}

void encode_stat(const Attributes& a, uint8_t* window)
{
    tessera_fs_stat s{};
    s.inode = raw(a.inode);
    s.mode = a.mode;
    s.links = a.links;
    s.uid = a.uid;
    s.gid = a.gid;
    s.size = a.size;
    s.blocks = a.blocks;
    s.block_size = a.block_size;
    s.device = a.device;
    s.atime = {a.atime.seconds, a.atime.nanoseconds, 0};
    s.mtime = {a.mtime.seconds, a.mtime.nanoseconds, 0};
    s.ctime = {a.ctime.seconds, a.ctime.nanoseconds, 0};
    memcpy(window, &s, sizeof s);
}

} // namespace tessera::services::ext2
