#include "server/packed_volume.h"

#include <string.h>

#include "linux/constants.h"

namespace tessera::posix::server {
namespace {

constexpr uint64_t DeviceNumber = 1;
constexpr uint64_t DirectoryInode = 1; // every implied directory
constexpr uint64_t FirstFileInode = 2; // as FileTable::next_entry numbers them

linux::Stat directory_stat()
{
    linux::Stat st{};
    st.dev = DeviceNumber;
    st.ino = DirectoryInode;
    st.nlink = 2;
    st.mode = linux::mode::Directory | 0755;
    st.block_size = 4096;
    return st;
}

bool writes(uint32_t flags)
{
    return (flags & linux::open_flag::AccessMode) != linux::open_flag::ReadOnly ||
           (flags & (linux::open_flag::Create | linux::open_flag::Truncate));
}

} // namespace

const PackedFile* PackedVolume::file_of(fs::Handle handle) const
{
    if (handle.value < 0 || size_t(handle.value) >= files_.count())
        return nullptr;
    return &files_.at(size_t(handle.value));
}

const char* PackedVolume::directory_of(fs::Handle handle) const
{
    const int64_t slot = int64_t(handle.value) - int64_t(files_.count());
    if (slot < 0 || slot >= MaxOpenDirectories || !directories_[slot].in_use)
        return nullptr;
    return directories_[slot].path;
}

Result<fs::Handle> PackedVolume::open(const char* path, uint32_t flags, uint32_t)
{
    char name[256];
    if (!FileTable::normalise(path, name))
        return Errno::NameTooLong;
    if (const PackedFile* file = files_.find(name)) {
        if (flags & linux::open_flag::Directory)
            return Errno::NotDir;
        if (writes(flags))
            return Errno::RoFs;
        return fs::Handle{int32_t(file - &files_.at(0))};
    }
    if (!files_.is_directory(name))
        return (flags & linux::open_flag::Create) ? Errno::RoFs : Errno::NoEnt;
    if (writes(flags))
        return Errno::IsDir;
    for (int slot = 0; slot < MaxOpenDirectories; ++slot) {
        if (!directories_[slot].in_use) {
            directories_[slot].in_use = true;
            memcpy(directories_[slot].path, name, sizeof name);
            return fs::Handle{int32_t(files_.count()) + slot};
        }
    }
    return Errno::NFile;
}

void PackedVolume::close(fs::Handle handle)
{
    if (directory_of(handle) != nullptr)
        directories_[handle.value - int32_t(files_.count())].in_use = false;
}

Result<size_t> PackedVolume::read(fs::Handle handle, uint64_t offset, void* buffer, size_t length)
{
    const PackedFile* file = file_of(handle);
    if (file == nullptr)
        return directory_of(handle) ? Errno::IsDir : Errno::BadF;
    const uint64_t left = offset < file->size ? file->size - offset : 0;
    const size_t n = length < left ? length : size_t(left);
    memcpy(buffer, file->bytes + offset, n);
    return n;
}

Result<size_t> PackedVolume::write(fs::Handle, uint64_t, const void*, size_t)
{
    return Errno::BadF; // nothing here is open for writing
}

Result<void> PackedVolume::truncate(fs::Handle, uint64_t) { return Errno::Inval; }

Result<linux::Stat> PackedVolume::stat(fs::Handle handle)
{
    if (directory_of(handle) != nullptr)
        return directory_stat();
    const PackedFile* file = file_of(handle);
    if (file == nullptr)
        return Errno::BadF;
    linux::Stat st{};
    st.dev = DeviceNumber;
    st.ino = FirstFileInode + uint64_t(handle.value);
    st.nlink = 1;
    st.mode = linux::mode::Regular | (file->mode & linux::mode::Permissions);
    st.size = int64_t(file->size);
    st.blocks = int64_t((file->size + 511) / 512);
    st.block_size = 4096;
    return st;
}

Result<linux::Stat> PackedVolume::stat(const char* path, bool)
{
    char name[256];
    if (!FileTable::normalise(path, name))
        return Errno::NameTooLong;
    if (const PackedFile* file = files_.find(name))
        return stat(fs::Handle{int32_t(file - &files_.at(0))});
    if (files_.is_directory(name))
        return directory_stat();
    return Errno::NoEnt;
}

Result<void> PackedVolume::list(fs::Handle directory, uint64_t& cursor, fs::EntrySink& sink)
{
    const char* path = directory_of(directory);
    if (path == nullptr)
        return file_of(directory) ? Errno::NotDir : Errno::BadF;
    for (;;) {
        uint64_t next = cursor;
        FileTable::Entry found;
        if (!files_.next_entry(path, next, found))
            return {};
        fs::Entry entry;
        entry.inode = found.inode;
        entry.type = found.is_directory ? linux::dirent_type::Directory : linux::dirent_type::Regular;
        entry.name_length = uint16_t(strlen(found.name));
        memcpy(entry.name, found.name, entry.name_length + 1);
        if (!sink.take(entry))
            return {};
        cursor = next;
    }
}

Result<void> PackedVolume::refuse_change(const char* path) const
{
    char name[256];
    if (!FileTable::normalise(path, name))
        return Errno::NameTooLong;
    return Errno::RoFs;
}

Result<void> PackedVolume::make_directory(const char* path, uint32_t) { return refuse_change(path); }
Result<void> PackedVolume::remove_directory(const char* path) { return refuse_change(path); }
Result<void> PackedVolume::unlink(const char* path) { return refuse_change(path); }
Result<void> PackedVolume::rename(const char*, const char* to) { return refuse_change(to); }
Result<void> PackedVolume::link(const char*, const char* name) { return refuse_change(name); }
Result<void> PackedVolume::symlink(const char*, const char* name) { return refuse_change(name); }
Result<void> PackedVolume::change_mode(const char* path, uint32_t) { return refuse_change(path); }

Result<size_t> PackedVolume::read_link(const char* path, char*, size_t)
{
    // No symbolic links here: EINVAL for what exists, as readlink of a regular file answers.
    POSIX_TRY(found, stat(path, false));
    (void)found;
    return Errno::Inval;
}

Result<linux::Statfs> PackedVolume::statfs()
{
    linux::Statfs st{};
    st.type = 0x858458f6; // RAMFS_MAGIC: the files live in memory
    st.block_size = 4096;
    st.files = files_.count();
    st.name_length = 255;
    st.fragment_size = 4096;
    st.flags = 1; // ST_RDONLY
    return st;
}

const uint8_t* PackedVolume::contents(fs::Handle handle)
{
    const PackedFile* file = file_of(handle);
    return file ? file->bytes : nullptr;
}

} // namespace tessera::posix::server
