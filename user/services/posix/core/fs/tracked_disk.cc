#include "core/fs/tracked_disk.h"

#include <string.h>

namespace tessera::posix::fs {

using tessera::ext2::Errno;
using tessera::ext2::Result;

TrackedDisk::TrackedDisk(uint8_t* bytes, size_t size, uint8_t* marks)
    : bytes_(bytes), size_(size), marks_(marks)
{
    memset(marks_, 0, marks_bytes_for(size));
}

Result<void> TrackedDisk::read(uint64_t offset, void* destination, size_t length)
{
    if (offset > size_ || length > size_ - offset)
        return Errno::Io;
    memcpy(destination, bytes_ + offset, length);
    return {};
}

Result<void> TrackedDisk::write(uint64_t offset, const void* source, size_t length)
{
    if (offset > size_ || length > size_ - offset)
        return Errno::Io;
    memcpy(bytes_ + offset, source, length);
    if (length == 0)
        return {};
    for (uint64_t granule = offset / Granule; granule <= (offset + length - 1) / Granule; ++granule)
        marks_[granule / 8] |= uint8_t(1u << (granule % 8));
    return {};
}

void TrackedDisk::forget_written() { memset(marks_, 0, marks_bytes_for(size_)); }

bool TrackedDisk::next_written(uint64_t from, uint64_t& offset, uint64_t& length) const
{
    const uint64_t granules = (size_ + Granule - 1) / Granule;
    uint64_t first = (from + Granule - 1) / Granule;
    while (first < granules && !written(first))
        ++first;
    if (first >= granules)
        return false;
    uint64_t end = first;
    while (end < granules && written(end))
        ++end;
    offset = first * Granule;
    const uint64_t stop = end * Granule < size_ ? end * Granule : size_;
    length = stop - offset;
    return true;
}

} // namespace tessera::posix::fs
