// READDIR: as many entries as the window holds, from the client's cursor.
#include <string.h>

#include "request_context.h"
#include "service.h"

namespace tessera::services::ext2 {

using tessera::ext2::DirectoryEntry;
using tessera::ext2::DirectoryVisitor;

namespace {

class WindowFiller final : public DirectoryVisitor {
public:
    WindowFiller(uint8_t* window, size_t bytes, InodeNumber root, bool at_root)
        : window_(window), bytes_(bytes), root_(root), at_root_(at_root)
    {
    }
    bool visit(const DirectoryEntry& entry) override
    {
        size_t size = TESSERA_FS_DIRENT_SIZE(entry.name.length);
        if (bytes_ - used_ < size) {
            full_ = true;
            return false;
        }
        tessera_fs_dirent header{};
        header.inode = raw(entry.inode);
        // At a client's root, ".." is the root itself (as in a chroot): the real parent's inode
        // number is none of the client's business.
        if (at_root_ && entry.name.length == 2 && entry.name.bytes[0] == '.' && entry.name.bytes[1] == '.')
            header.inode = raw(root_);
        header.next_cursor = entry.next_cursor;
        header.name_length = static_cast<uint16_t>(entry.name.length);
        header.type = protocol_type(entry.type);
        memcpy(window_ + used_, &header, sizeof header);
        memcpy(window_ + used_ + sizeof header, entry.name.bytes, entry.name.length);
        memset(window_ + used_ + sizeof header + entry.name.length, 0,
               size - sizeof header - entry.name.length);
        used_ += size;
        ++count_;
        return true;
    }
    uint64_t count() const { return count_; }
    bool full() const { return full_; }

private:
    uint8_t* window_;
    size_t bytes_;
    InodeNumber root_;
    bool at_root_;
    size_t used_ = 0;
    uint64_t count_ = 0;
    bool full_ = false;
};

} // namespace

Reply Service::read_directory(Context& c)
{
    Result<HandleSlot*> slot = handle_of(c, 0);
    if (!slot)
        return failure(slot.error());
    if ((slot.value()->flags & HandleSlot::Directory) == 0)
        return failure(Errno::NotDir);
    InodeNumber directory{slot.value()->inode};
    size_t capacity = c.word(2) == 0 || c.word(2) > c.client.window_bytes ? c.client.window_bytes
                                                                          : static_cast<size_t>(c.word(2));
    if (capacity < TESSERA_FS_DIRENT_SIZE(TESSERA_FS_NAME_MAX))
        return failure(Errno::Inval);
    WindowFiller filler(c.client.window, capacity, c.client.root, directory == c.client.root);
    Result<uint64_t> next = c.fs.read_directory(directory, c.word(1), filler);
    if (!next)
        return failure(next.error());
    return success(3, filler.count(), next.value(), filler.full() ? 0 : 1);
}

} // namespace tessera::services::ext2
