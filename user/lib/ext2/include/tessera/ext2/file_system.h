// An ext2 volume, mounted: every operation a file-system service serves, on inode numbers.
// Paths are the PathWalker's job (path_walker.h). Single-threaded: the caller serialises calls.
// Writes go to the block cache; sync() (or a full cache) writes them back, after which the
// volume is consistent as e2fsck sees it (except inodes unlinked while still open, which are
// freed at their last close, as on Linux).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/ext2/arena.h>
#include <tessera/ext2/block_device.h>
#include <tessera/ext2/clock.h>
#include <tessera/ext2/errno.h>
#include <tessera/ext2/types.h>

namespace tessera::ext2 {

class Volume;
class OpenTable;

struct MountOptions {
    Access access = Access::ReadWrite;
    // Buffers of the block cache; 0: as many as fit in the arena after everything else.
    uint32_t cache_blocks = 0;
    // Inodes that may be open (held) at once.
    uint32_t open_inodes = 256;
};

// What mount found: the access it granted and, when it refused or fell back to read-only, why.
struct MountReport {
    Access access = Access::ReadOnly;
    char reason[200] = {};
};

struct Attributes {
    InodeNumber inode{0};
    uint16_t mode = 0; // type and permission bits, as POSIX st_mode
    uint16_t links = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint64_t size = 0;
    uint64_t blocks = 0; // 512-byte units, as st_blocks
    uint32_t block_size = 0;
    uint32_t generation = 0;
    uint32_t device = 0; // st_rdev of device nodes (Linux's encoding)
    Timestamp atime, mtime, ctime;
};

// setattr: which fields to change.
struct AttributeChange {
    enum : uint32_t {
        Mode = 1u << 0, // permission bits only; the type never changes
        Uid = 1u << 1,
        Gid = 1u << 2,
        Atime = 1u << 3,
        Mtime = 1u << 4,
        AtimeNow = 1u << 5,
        MtimeNow = 1u << 6,
        Size = 1u << 7,
    };
    uint32_t mask = 0;
    uint16_t mode = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    Timestamp atime, mtime;
    uint64_t size = 0;
};

struct VolumeStatistics {
    uint32_t block_size = 0;
    uint64_t blocks = 0;
    uint64_t free_blocks = 0;
    uint64_t available_blocks = 0; // free minus those reserved for the superuser
    uint64_t inodes = 0;
    uint64_t free_inodes = 0;
    uint32_t name_max = 0;
    uint64_t fsid = 0;
    bool read_only = false;
};

// One directory entry as readdir reports it.
struct DirectoryEntry {
    InodeNumber inode{0};
    FileType type = FileType::None; // None when the volume has no filetype feature
    Name name;
    uint64_t next_cursor = 0; // where the walk continues after this entry
};

class DirectoryVisitor {
public:
    // Returns false to stop before this entry: it is then not consumed.
    virtual bool visit(const DirectoryEntry& entry) = 0;

protected:
    ~DirectoryVisitor() = default;
};

class FileSystem {
public:
    // Mounts the ext2 volume on device. Everything the file system needs comes from arena
    // (which must outlive it). Errno::Inval with report.reason naming the problem when the
    // volume is not one this code can use; read-only (with the reason) when it can read it but
    // not write it, or when options ask so.
    static Result<FileSystem*> mount(BlockDevice& device, Arena& arena, Clock& clock,
                                     const MountOptions& options, MountReport& report);

    bool is_read_only() const;
    // The last inconsistency found on the volume ("" if none); finding one makes it read-only.
    const char* problem() const;

    // Names in directories.
    Result<InodeNumber> lookup(InodeNumber directory, Name name);
    // Calls visitor for each entry from cursor (0: the start); returns the cursor after the
    // last entry consumed (the directory's size at the end).
    Result<uint64_t> read_directory(InodeNumber directory, uint64_t cursor,
                                    DirectoryVisitor& visitor);
    Result<InodeNumber> create(InodeNumber directory, Name name, uint16_t mode, uint32_t uid,
                               uint32_t gid);
    Result<InodeNumber> make_directory(InodeNumber directory, Name name, uint16_t mode,
                                       uint32_t uid, uint32_t gid);
    Result<InodeNumber> make_symlink(InodeNumber directory, Name name, Name target, uint32_t uid,
                                     uint32_t gid);
    Result<void> link(InodeNumber target, InodeNumber directory, Name name);
    Result<void> unlink(InodeNumber directory, Name name);
    Result<void> remove_directory(InodeNumber directory, Name name);
    Result<void> rename(InodeNumber from_directory, Name from_name, InodeNumber to_directory,
                        Name to_name);
    // Copies the target into buffer (no NUL); returns its length (at most capacity bytes copied).
    Result<size_t> read_link(InodeNumber symlink, char* buffer, size_t capacity);

    // File contents.
    Result<size_t> read(InodeNumber file, uint64_t offset, void* buffer, size_t length);
    Result<size_t> write(InodeNumber file, uint64_t offset, const void* buffer, size_t length);
    Result<void> truncate(InodeNumber file, uint64_t size);

    // Attributes.
    Result<Attributes> stat(InodeNumber inode);
    Result<void> set_attributes(InodeNumber inode, const AttributeChange& change);
    VolumeStatistics statistics() const;

    // An open file: while held, its inode and data outlive its last name. Errno::NFile when too
    // many are held.
    Result<void> hold(InodeNumber inode);
    // The last release of an inode with no names left frees it.
    Result<void> release(InodeNumber inode);
    // hold() for a service that restarted while clients held inodes: the inode must still be in
    // use with this generation (Errno::Stale otherwise); one that lost its last name meanwhile
    // is held as an orphan, freed at its last release.
    Result<void> reattach(InodeNumber inode, uint32_t generation);

    // Writes everything back and flushes the device: the volume is then consistent on disk, and
    // its superblock says "clean".
    Result<void> sync();
    // Writes every change back to the device (no flush; the superblock still says "in use"):
    // a service calls it before each reply, so a restart between requests loses nothing.
    Result<void> write_back();
    // Like sync (the volume has one cache; writing it all is what makes one file durable).
    Result<void> fsync(InodeNumber inode);
    // Syncs, then empties the cache: the next reads come from the device (benchmarks).
    Result<void> drop_caches();

    Volume& volume() { return *volume_; }

private:
    FileSystem(Volume* volume, OpenTable* open) : volume_(volume), open_(open) {}
    Result<void> drop_link(InodeNumber inode);
    Result<void> check_writable() const;

    Volume* volume_;
    OpenTable* open_;
};

} // namespace tessera::ext2
