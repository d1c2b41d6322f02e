// What the server asks of a mounted file system: the VFS's one backend interface. The root of a
// personality is a Volume (the ext2 service through its client protocol: ext2_volume.h); the
// server's own trees (/dev, /proc, /tmp) are served beside it. Paths are absolute and already
// folded by the server ("" or "/" is the volume's root); errors are Linux's errno values.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "linux/structures.h"

namespace tessera::posix::fs {

// A file or directory the volume holds open for the server.
struct Handle {
    int32_t value = -1;
    bool valid() const { return value >= 0; }
    friend bool operator==(Handle, Handle) = default;
};

struct Entry {
    uint64_t inode = 0;
    uint8_t type = 0; // linux::dirent_type
    uint16_t name_length = 0;
    char name[256] = {}; // NUL-terminated
};

// Takes directory entries one at a time; false when it has no room for `entry` (the listing
// stops before it, so the next listing starts with it).
class EntrySink {
public:
    virtual bool take(const Entry& entry) = 0;

protected:
    ~EntrySink() = default;
};

// A file's new attributes (utimensat, fchmod, fchown): each one set when its flag is on, else
// left as it is. The mode is the permission bits (07777) only.
struct AttributeChange {
    bool set_access = false, set_modification = false;
    linux::Timespec access = {}, modification = {};
    bool set_mode = false, set_owner = false, set_group = false;
    uint32_t mode = 0, owner = 0, group = 0;
    bool any() const { return set_access || set_modification || set_mode || set_owner || set_group; }
};

class Volume {
public:
    virtual ~Volume() = default;

    // flags are Linux's O_ values (only those a file system acts on are passed on), mode the
    // permission bits of a file made by O_CREAT.
    virtual Result<Handle> open(const char* path, uint32_t flags, uint32_t mode) = 0;
    virtual void close(Handle handle) = 0;
    // Bytes moved (0 at the end of the file).
    virtual Result<size_t> read(Handle handle, uint64_t offset, void* buffer, size_t length) = 0;
    virtual Result<size_t> write(Handle handle, uint64_t offset, const void* bytes,
                                 size_t length) = 0;
    virtual Result<void> truncate(Handle handle, uint64_t size) = 0;
    virtual Result<linux::Stat> stat(Handle handle) = 0;
    // follow: false for lstat (a final symlink is described, not followed).
    virtual Result<linux::Stat> stat(const char* path, bool follow) = 0;
    // Entries of an open directory from `cursor` (0: the start) until `sink` is full or the
    // directory ends; `cursor` then points after the last entry taken.
    virtual Result<void> list(Handle directory, uint64_t& cursor, EntrySink& sink) = 0;

    virtual Result<void> make_directory(const char* path, uint32_t mode) = 0;
    virtual Result<void> remove_directory(const char* path) = 0;
    virtual Result<void> unlink(const char* path) = 0;
    virtual Result<void> rename(const char* from, const char* to) = 0;
    virtual Result<void> link(const char* existing, const char* name) = 0;
    virtual Result<void> symlink(const char* target, const char* name) = 0;
    // The target's length; at most `capacity` bytes copied, no NUL added.
    virtual Result<size_t> read_link(const char* path, char* buffer, size_t capacity) = 0;
    virtual Result<void> change_mode(const char* path, uint32_t mode) = 0;
    virtual Result<void> set_attributes(Handle handle, const AttributeChange& change) = 0;
    virtual Result<linux::Statfs> statfs() = 0;
    // Whether resolving `path` leaves this volume (a symbolic link whose target lies outside
    // it, or ".." above its root): then `out` is the absolute name to go on with, not yet
    // folded (the server folds it and asks the volume that holds it). The last component's
    // link counts only when `follow`. Volumes without such links never leave.
    virtual bool leaves(const char* path, bool follow, char (&out)[256])
    {
        (void)path, (void)follow, (void)out;
        return false;
    }
    // Everything written so far durable (fsync, sync, and the server's end).
    virtual Result<void> sync() = 0;
    // A file's bytes when the volume holds them in memory and they never change while the
    // volume exists (the server's own packed files), or null: exec then reads the file. execve
    // keeps the pages of such files for every later run, so a volume whose files can change
    // must answer null.
    virtual const uint8_t* contents(Handle) { return nullptr; }
    // Frames of the server's memory the volume's files hold (a memory file system's: meminfo's
    // Shmem), 0 for a volume on a disk.
    virtual size_t memory_pages() const { return 0; }
};

} // namespace tessera::posix::fs
