// Strong types for the numbers of an ext2 volume: inode numbers, block numbers (physical, on the
// volume) and file block indexes (logical, inside one file), plus times and file modes.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::ext2 {

// Inode numbers start at 1; 0 means "no inode" in directory entries.
enum class InodeNumber : uint32_t {};
// A block of the volume, in units of the file system's block size; 0 means "hole" in block maps.
enum class BlockNumber : uint32_t {};
// A block's index inside one file (byte offset / block size).
enum class FileBlock : uint64_t {};

constexpr uint32_t raw(InodeNumber n) { return static_cast<uint32_t>(n); }
constexpr uint32_t raw(BlockNumber n) { return static_cast<uint32_t>(n); }
constexpr uint64_t raw(FileBlock n) { return static_cast<uint64_t>(n); }

constexpr InodeNumber RootInode{2};

// Seconds since the Unix epoch and nanoseconds within the second.
struct Timestamp {
    int64_t seconds = 0;
    uint32_t nanoseconds = 0;
    bool operator==(const Timestamp&) const = default;
};

// The file type in the top four bits of i_mode, as POSIX's S_IF* values.
enum class FileType : uint16_t {
    None = 0,
    Fifo = 0x1000,
    CharDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    Regular = 0x8000,
    Symlink = 0xA000,
    Socket = 0xC000,
};

constexpr uint16_t ModeTypeMask = 0xF000;
constexpr uint16_t ModePermissionMask = 0x0FFF; // rwx for all, setuid, setgid, sticky

constexpr FileType file_type(uint16_t mode) { return static_cast<FileType>(mode & ModeTypeMask); }

// Longest name in a directory entry and longest path a walk accepts (Linux's NAME_MAX, PATH_MAX).
constexpr size_t NameMax = 255;
constexpr size_t PathMax = 4096;

// What a mount, or a client, may do.
enum class Access { ReadWrite, ReadOnly };

// A name inside a directory: bytes, not NUL-terminated.
struct Name {
    const char* bytes = nullptr;
    size_t length = 0;
};

} // namespace tessera::ext2
