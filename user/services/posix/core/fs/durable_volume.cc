#include "core/fs/durable_volume.h"

#include <stdio.h>

#include <utility>

#include "linux/constants.h"

namespace tessera::posix::fs {

Result<void> DurableVolume::sync()
{
    Result<void> synced = inner_.sync();
    Result<void> committed = committer_.commit();
    ++commits_;
    unsettled_ = false;
    unsettled_bytes_ = 0;
    const bool failed = failed_;
    failed_ = false;
    if (!synced)
        return synced.error();
    if (!committed)
        return committed.error();
    return failed ? Result<void>(Errno::Io) : Result<void>{};
}

template <class T> Result<T> DurableVolume::settle(Result<T> result)
{
    unsettled_ = true;
    const bool failed_before = failed_;
    if (Result<void> done = sync(); !done) {
        if (!failed_before)
            printf("posix: the disk's changes could not be made durable (errno %d)\n",
                   int(done.error()));
        failed_ = true;
    }
    return result;
}

Result<Handle> DurableVolume::open(const char* path, uint32_t flags, uint32_t mode)
{
    Result<Handle> opened = inner_.open(path, flags, mode);
    // Only an open that may have made or emptied a file changed the volume.
    if (opened && (flags & (linux::open_flag::Create | linux::open_flag::Truncate)) != 0)
        return settle(std::move(opened));
    return opened;
}

void DurableVolume::close(Handle handle)
{
    inner_.close(handle);
    if (unsettled_)
        (void)settle(Result<void>{});
}

Result<size_t> DurableVolume::write(Handle handle, uint64_t offset, const void* bytes, size_t length)
{
    Result<size_t> written = inner_.write(handle, offset, bytes, length);
    if (!written)
        return written;
    unsettled_ = true;
    unsettled_bytes_ += written.value();
    if (unsettled_bytes_ >= WriteBackBytes)
        return settle(std::move(written));
    return written;
}

Result<void> DurableVolume::truncate(Handle handle, uint64_t size) { return settle(inner_.truncate(handle, size)); }

Result<void> DurableVolume::make_directory(const char* path, uint32_t mode)
{
    return settle(inner_.make_directory(path, mode));
}

Result<void> DurableVolume::remove_directory(const char* path) { return settle(inner_.remove_directory(path)); }

Result<void> DurableVolume::unlink(const char* path) { return settle(inner_.unlink(path)); }

Result<void> DurableVolume::rename(const char* from, const char* to) { return settle(inner_.rename(from, to)); }

Result<void> DurableVolume::link(const char* existing, const char* name)
{
    return settle(inner_.link(existing, name));
}

Result<void> DurableVolume::symlink(const char* target, const char* name)
{
    return settle(inner_.symlink(target, name));
}

Result<void> DurableVolume::change_mode(const char* path, uint32_t mode)
{
    return settle(inner_.change_mode(path, mode));
}

Result<void> DurableVolume::set_attributes(Handle handle, const AttributeChange& change)
{
    return settle(inner_.set_attributes(handle, change));
}

} // namespace tessera::posix::fs
