// A file system in the server's memory (Linux's tmpfs): /tmp over the packed root and /dev/shm
// on every root (docs/posix.md, "Mounts"). File data lives in frames of the server's FramePool,
// the same memory processes get, bounded by a page limit the volume was given (statfs's size);
// names, directories, hard links and symbolic links as on Linux. Nothing survives the server.
//
// Paths are the server's folded absolute names with the mount point in front ("/tmp/a/b"); the
// volume takes off its own mount point. A name that leaves the volume (a symbolic link whose
// target lies outside it, ".." above its root) is ENOENT here; `leaves` tells the server where
// it goes, and the server resolves it there.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/fs/volume.h"
#include "core/vector.h"
#include "core/vm/frame.h"

namespace tessera::posix::fs {

// Where a volume's file times come from (the server's realtime clock).
class TimeSource {
public:
    virtual linux::Timespec now() = 0;

protected:
    ~TimeSource() = default;
};

class MemoryVolume final : public Volume {
public:
    static constexpr uint32_t MaxNodes = 4096;
    static constexpr int64_t Magic = 0x01021994; // TMPFS_MAGIC, as statfs reports it

    // `mount_point` (absolute, folded, e.g. "/tmp") must outlive the volume; its root directory
    // gets `root_mode` (the permission bits: 01777 for /tmp and /dev/shm).
    MemoryVolume(const char* mount_point, FramePool& frames, size_t page_limit, uint64_t device,
                 uint32_t root_mode);
    ~MemoryVolume() override;
    MemoryVolume(const MemoryVolume&) = delete;
    MemoryVolume& operator=(const MemoryVolume&) = delete;

    // Also stamps the root directory, made before there was a time.
    void set_time_source(TimeSource* time);
    const char* mount_point() const { return mount_point_; }
    // Frames the files hold now (meminfo's Shmem).
    size_t pages_used() const { return pages_used_; }
    size_t memory_pages() const override { return pages_used_; }
    // Whether `path` is this volume's: its mount point or below it.
    bool holds(const char* path) const;

    Result<Handle> open(const char* path, uint32_t flags, uint32_t mode) override;
    void close(Handle handle) override;
    Result<size_t> read(Handle handle, uint64_t offset, void* buffer, size_t length) override;
    Result<size_t> write(Handle handle, uint64_t offset, const void* bytes, size_t length) override;
    Result<void> truncate(Handle handle, uint64_t size) override;
    Result<linux::Stat> stat(Handle handle) override;
    Result<linux::Stat> stat(const char* path, bool follow) override;
    Result<void> list(Handle directory, uint64_t& cursor, EntrySink& sink) override;
    Result<void> make_directory(const char* path, uint32_t mode) override;
    Result<void> remove_directory(const char* path) override;
    Result<void> unlink(const char* path) override;
    Result<void> rename(const char* from, const char* to) override;
    Result<void> link(const char* existing, const char* name) override;
    Result<void> symlink(const char* target, const char* name) override;
    Result<size_t> read_link(const char* path, char* buffer, size_t capacity) override;
    Result<void> change_mode(const char* path, uint32_t mode) override;
    Result<void> set_attributes(Handle handle, const AttributeChange& change) override;
    Result<linux::Statfs> statfs() override;
    Result<void> sync() override { return {}; }
    bool leaves(const char* path, bool follow, char (&out)[256]) override;

private:
    static constexpr uint32_t None = ~uint32_t(0);

    struct Node {
        bool used = false;
        uint32_t mode = 0; // type and permission bits
        uint32_t uid = 0, gid = 0;
        uint32_t links = 0;
        uint32_t opens = 0;
        uint32_t parent = 0; // a directory's, for ".." (the root is its own)
        uint64_t size = 0;
        Vector<Frame*> pages; // a file's data (null: a hole) or a link's target
        linux::Timespec atime = {}, mtime = {}, ctime = {};
    };
    struct Dentry {
        uint32_t parent = None; // None: a free slot
        uint32_t node = None;
        char name[256] = {};
    };
    // Where a name leads: its directory, its entry there (None when missing) and its node.
    struct Walk {
        uint32_t directory = None;
        uint32_t dentry = None;
        uint32_t node = None;
        char last[256] = {}; // the final component
        size_t last_length = 0;
    };

    // `path` resolved; symbolic links in the middle always followed, the last one when
    // `follow`. ENOENT for a missing directory on the way (a missing last name is no error).
    Result<Walk> walk(const char* path, bool follow) const;
    // With `left`, a walk that leaves the volume ends in EXDEV with the absolute name it goes on
    // with in `left` (256 bytes); without, in ENOENT.
    Result<Walk> walk_from(uint32_t directory, const char* rest, bool follow, int& hops,
                           char* left = nullptr) const;
    // The node `path` names, or its error (ENOENT when missing).
    Result<uint32_t> existing(const char* path, bool follow) const;
    uint32_t find_entry(uint32_t directory, const char* name, size_t length) const;
    Result<uint32_t> new_node(uint32_t mode);
    Result<uint32_t> add_entry(uint32_t directory, const char* name, size_t length, uint32_t node);
    void remove_entry(uint32_t dentry);
    // Frees `node` once nothing names or holds it.
    void release_if_unused(uint32_t node);
    bool is_directory(uint32_t node) const;
    bool directory_empty(uint32_t directory) const;
    void touch(uint32_t node, bool modified);
    linux::Timespec now() const;
    Result<void> resize(Node& node, uint64_t size);
    size_t target_of(const Node& node, char* buffer, size_t capacity) const;
    linux::Stat stat_of(uint32_t node) const;
    Node* node_of(Handle handle);

    const char* mount_point_;
    size_t mount_length_;
    FramePool& frames_;
    size_t page_limit_;
    size_t pages_used_ = 0;
    uint64_t device_;
    TimeSource* time_ = nullptr;
    Vector<Node> nodes_;
    Vector<Dentry> dentries_;
};

} // namespace tessera::posix::fs
