// An inode as the file system works on it: the on-disk record's first 128 bytes and, for large
// inodes, the extra time fields, with the accessors that hide ext2's split fields.
#pragma once

#include <tessera/ext2/layout.h>
#include <tessera/ext2/types.h>

namespace tessera::ext2 {

struct InodeData {
    disk::Inode raw{};
    disk::InodeExtra extra{};
    // The record is large and its extra_isize covers the nanosecond fields of a, m and ctime.
    bool extra_times = false;
    // Revision 1 keeps the high half of a regular file's size in size_high (i_dir_acl before).
    bool large_sizes = false;

    FileType type() const { return file_type(raw.mode); }
    bool is_directory() const { return type() == FileType::Directory; }
    bool is_regular() const { return type() == FileType::Regular; }
    bool is_symlink() const { return type() == FileType::Symlink; }

    uint64_t size() const
    {
        uint64_t size = raw.size;
        if (large_sizes && is_regular())
            size |= uint64_t{raw.size_high} << 32;
        return size;
    }
    void set_size(uint64_t size)
    {
        raw.size = static_cast<uint32_t>(size);
        if (large_sizes && is_regular())
            raw.size_high = static_cast<uint32_t>(size >> 32);
    }

    uint32_t uid() const { return raw.uid | uint32_t{raw.uid_high} << 16; }
    uint32_t gid() const { return raw.gid | uint32_t{raw.gid_high} << 16; }
    void set_uid(uint32_t uid)
    {
        raw.uid = static_cast<uint16_t>(uid);
        raw.uid_high = static_cast<uint16_t>(uid >> 16);
    }
    void set_gid(uint32_t gid)
    {
        raw.gid = static_cast<uint16_t>(gid);
        raw.gid_high = static_cast<uint16_t>(gid >> 16);
    }

    Timestamp atime() const { return decode_time(raw.atime, extra.atime_extra); }
    Timestamp mtime() const { return decode_time(raw.mtime, extra.mtime_extra); }
    Timestamp ctime() const { return decode_time(raw.ctime, extra.ctime_extra); }
    void set_atime(Timestamp t) { encode_time(t, raw.atime, extra.atime_extra); }
    void set_mtime(Timestamp t) { encode_time(t, raw.mtime, extra.mtime_extra); }
    void set_ctime(Timestamp t) { encode_time(t, raw.ctime, extra.ctime_extra); }

private:
    // The extra field holds (nanoseconds << 2) | epoch bits: bits 32 and 33 of the seconds, so
    // a signed 32-bit base reaches 2446 (the ext4 encoding, which e2fsck checks).
    Timestamp decode_time(uint32_t base, uint32_t extra_field) const
    {
        int64_t seconds = static_cast<int32_t>(base);
        if (!extra_times)
            return {seconds, 0};
        seconds += int64_t{extra_field & 3} << 32;
        return {seconds, extra_field >> 2};
    }
    void encode_time(Timestamp t, uint32_t& base, uint32_t& extra_field)
    {
        base = static_cast<uint32_t>(t.seconds);
        if (extra_times) {
            uint32_t epoch = static_cast<uint32_t>((t.seconds - static_cast<int32_t>(base)) >> 32) & 3;
            extra_field = (t.nanoseconds << 2) | epoch;
        }
    }
};

} // namespace tessera::ext2
