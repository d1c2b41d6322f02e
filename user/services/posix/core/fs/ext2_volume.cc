#include "core/fs/ext2_volume.h"

#include <errno.h>
#include <string.h>

#include "linux/constants.h"

namespace tessera::posix::fs {
namespace {

// The client library's failures leave errno as the service's (Linux) number.
Errno last_error() { return errno > 0 ? static_cast<Errno>(errno) : Errno::Io; }

Result<void> done(int status)
{
    if (status != 0)
        return last_error();
    return {};
}

// Only what a file system acts on goes to the service; the rest (O_CLOEXEC, O_NONBLOCK,
// O_NOCTTY, O_LARGEFILE, ...) belongs to the server's descriptor.
constexpr uint32_t VolumeFlags = linux::open_flag::AccessMode | linux::open_flag::Create |
                                 linux::open_flag::Exclusive | linux::open_flag::Truncate |
                                 linux::open_flag::Append | linux::open_flag::Directory |
                                 linux::open_flag::NoFollow;

uint8_t dirent_type(uint8_t type)
{
    switch (type) {
    case TESSERA_FS_TYPE_REGULAR: return linux::dirent_type::Regular;
    case TESSERA_FS_TYPE_DIRECTORY: return linux::dirent_type::Directory;
    case TESSERA_FS_TYPE_CHAR_DEVICE: return linux::dirent_type::Char;
    case TESSERA_FS_TYPE_BLOCK_DEVICE: return linux::dirent_type::Block;
    case TESSERA_FS_TYPE_FIFO: return linux::dirent_type::Fifo;
    case TESSERA_FS_TYPE_SOCKET: return linux::dirent_type::Socket;
    case TESSERA_FS_TYPE_SYMLINK: return linux::dirent_type::Symlink;
    default: return linux::dirent_type::Unknown;
    }
}

// The server names the volume's root "" (its folded form of "/"); the service wants a path.
const char* on_volume(const char* path) { return path[0] == '\0' ? "/" : path; }

} // namespace

linux::Stat Ext2Volume::to_linux(const struct tessera_fs_stat& from)
{
    linux::Stat st = {};
    st.dev = DeviceNumber;
    st.ino = from.inode;
    st.nlink = from.links;
    st.mode = from.mode;
    st.uid = from.uid;
    st.gid = from.gid;
    st.rdev = from.device;
    st.size = static_cast<int64_t>(from.size);
    st.block_size = from.block_size;
    st.blocks = static_cast<int64_t>(from.blocks);
    st.atime = {from.atime.seconds, from.atime.nanoseconds};
    st.mtime = {from.mtime.seconds, from.mtime.nanoseconds};
    st.ctime = {from.ctime.seconds, from.ctime.nanoseconds};
    return st;
}

Result<Handle> Ext2Volume::open(const char* path, uint32_t flags, uint32_t mode)
{
    int fd = tessera_fs_open(&fs_, on_volume(path), static_cast<int>(flags & VolumeFlags),
                             mode & linux::mode::Permissions);
    if (fd < 0)
        return errno == EMFILE ? Errno::NFile : last_error();
    return Handle{fd};
}

void Ext2Volume::close(Handle handle)
{
    // A failed close leaves nothing to undo: the service drops the handle either way.
    (void)tessera_fs_close(&fs_, handle.value);
}

Result<size_t> Ext2Volume::read(Handle handle, uint64_t offset, void* buffer, size_t length)
{
    long moved = tessera_fs_pread(&fs_, handle.value, buffer, length, offset);
    if (moved < 0)
        return last_error();
    return static_cast<size_t>(moved);
}

Result<size_t> Ext2Volume::write(Handle handle, uint64_t offset, const void* bytes, size_t length)
{
    long moved = tessera_fs_pwrite(&fs_, handle.value, bytes, length, offset);
    if (moved < 0)
        return last_error();
    return static_cast<size_t>(moved);
}

Result<void> Ext2Volume::truncate(Handle handle, uint64_t size)
{
    return done(tessera_fs_ftruncate(&fs_, handle.value, size));
}

Result<linux::Stat> Ext2Volume::stat(Handle handle)
{
    struct tessera_fs_stat st;
    if (tessera_fs_fstat(&fs_, handle.value, &st) != 0)
        return last_error();
    return to_linux(st);
}

Result<linux::Stat> Ext2Volume::stat(const char* path, bool follow)
{
    struct tessera_fs_stat st;
    int status = follow ? tessera_fs_stat(&fs_, on_volume(path), &st) : tessera_fs_lstat(&fs_, on_volume(path), &st);
    if (status != 0)
        return last_error();
    return to_linux(st);
}

// READDIR is sent here rather than through tessera_fs_readdir: the library keeps one cursor per
// descriptor, while the server's descriptors (copied by dup and fork) each need their own, and a
// listing must stop at any entry and resume with it.
Result<void> Ext2Volume::list(Handle directory, uint64_t& cursor, EntrySink& sink)
{
    if (directory.value < 0 || directory.value >= int32_t(TESSERA_FS_MAX_FILES) ||
        !fs_.files[directory.value].in_use)
        return Errno::BadF;
    if (!fs_.files[directory.value].is_directory)
        return Errno::NotDir;
    for (;;) {
        const uint64_t words[3] = {fs_.files[directory.value].handle, cursor, fs_.window_bytes};
        uint64_t reply[3] = {};
        uint64_t error = fs_.transport.call(fs_.transport.context, TESSERA_FS_READDIR, words, 3,
                                            reply, 3);
        if (error != 0)
            return static_cast<Errno>(error);
        size_t offset = 0;
        for (uint64_t i = 0; i < reply[0]; ++i) {
            tessera_fs_dirent header;
            if (offset + sizeof header > fs_.window_bytes)
                return Errno::Io; // the service broke the format
            memcpy(&header, fs_.window + offset, sizeof header);
            const uint64_t size = TESSERA_FS_DIRENT_SIZE(header.name_length);
            if (header.name_length > TESSERA_FS_NAME_MAX || offset + size > fs_.window_bytes)
                return Errno::Io;
            Entry entry;
            entry.inode = header.inode;
            entry.type = dirent_type(header.type);
            entry.name_length = header.name_length;
            memcpy(entry.name, fs_.window + offset + sizeof header, header.name_length);
            entry.name[header.name_length] = '\0';
            if (!sink.take(entry))
                return {};
            cursor = header.next_cursor;
            offset += size;
        }
        if (reply[2] != 0)
            return {};
        if (reply[0] == 0)
            return Errno::Io; // neither an entry nor the end
        cursor = reply[1];
    }
}

Result<void> Ext2Volume::make_directory(const char* path, uint32_t mode)
{
    return done(tessera_fs_mkdir(&fs_, on_volume(path), mode & linux::mode::Permissions));
}

Result<void> Ext2Volume::remove_directory(const char* path) { return done(tessera_fs_rmdir(&fs_, on_volume(path))); }

Result<void> Ext2Volume::unlink(const char* path) { return done(tessera_fs_unlink(&fs_, on_volume(path))); }

Result<void> Ext2Volume::rename(const char* from, const char* to)
{
    return done(tessera_fs_rename(&fs_, on_volume(from), on_volume(to)));
}

Result<void> Ext2Volume::link(const char* existing, const char* name)
{
    return done(tessera_fs_link(&fs_, on_volume(existing), on_volume(name)));
}

Result<void> Ext2Volume::symlink(const char* target, const char* name)
{
    return done(tessera_fs_symlink(&fs_, target, on_volume(name)));
}

Result<size_t> Ext2Volume::read_link(const char* path, char* buffer, size_t capacity)
{
    long length = tessera_fs_readlink(&fs_, on_volume(path), buffer, capacity);
    if (length < 0)
        return last_error();
    return static_cast<size_t>(length);
}

Result<void> Ext2Volume::change_mode(const char* path, uint32_t mode)
{
    return done(tessera_fs_chmod(&fs_, on_volume(path), mode & linux::mode::Permissions));
}

Result<void> Ext2Volume::set_attributes(Handle handle, const AttributeChange& change)
{
    struct tessera_fs_attributes to = {};
    if (change.set_access) {
        to.mask |= TESSERA_FS_SET_ATIME;
        to.atime = {change.access.seconds, static_cast<uint32_t>(change.access.nanoseconds), 0};
    }
    if (change.set_modification) {
        to.mask |= TESSERA_FS_SET_MTIME;
        to.mtime = {change.modification.seconds, static_cast<uint32_t>(change.modification.nanoseconds), 0};
    }
    if (change.set_mode) {
        to.mask |= TESSERA_FS_SET_MODE;
        to.mode = change.mode & linux::mode::Permissions;
    }
    if (change.set_owner) {
        to.mask |= TESSERA_FS_SET_UID;
        to.uid = change.owner;
    }
    if (change.set_group) {
        to.mask |= TESSERA_FS_SET_GID;
        to.gid = change.group;
    }
    return done(tessera_fs_fsetattr(&fs_, handle.value, &to));
}

Result<linux::Statfs> Ext2Volume::statfs()
{
    struct tessera_fs_statfs from;
    if (tessera_fs_statfs(&fs_, &from) != 0)
        return last_error();
    linux::Statfs st = {};
    st.type = 0xef53; // EXT2_SUPER_MAGIC
    st.block_size = static_cast<int64_t>(from.block_size);
    st.blocks = from.blocks;
    st.free_blocks = from.free_blocks;
    st.available_blocks = from.available_blocks;
    st.files = from.inodes;
    st.free_files = from.free_inodes;
    st.fsid[0] = static_cast<int32_t>(from.fsid);
    st.fsid[1] = static_cast<int32_t>(from.fsid >> 32);
    st.name_length = from.name_max;
    st.fragment_size = static_cast<int64_t>(from.block_size);
    st.flags = (from.flags & TESSERA_FS_STATFS_READ_ONLY) ? 1 : 0; // ST_RDONLY
    return st;
}

Result<void> Ext2Volume::sync() { return done(tessera_fs_sync(&fs_)); }

} // namespace tessera::posix::fs
