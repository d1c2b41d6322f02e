// The root file system of phase 1: read-only files the server carries in its own image (the
// busybox executable, the test data), looked up by absolute path. Directories are implied by the
// paths. A VFS with the ext2 service as a backend replaces it (docs/posix.md).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::posix::server {

struct PackedFile {
    const char* path; // absolute, no trailing slash
    const uint8_t* bytes;
    size_t size;
    uint32_t mode; // permission bits; the type is regular
};

class FileTable {
public:
    // `directories`: empty directories besides those the paths imply (absolute, folded, no
    // trailing slash: the mount points the server serves over this root), listed and stat'ed.
    FileTable(const PackedFile* files, size_t count, const char* const* directories = nullptr,
              size_t directory_count = 0)
        : files_(files), count_(count), directories_(directories),
          directory_count_(directories ? directory_count : 0)
    {
    }
    // The file at `path` (after "//" and "/./" are folded), or null.
    const PackedFile* find(const char* path) const;
    // Whether some file or given directory lies below `path`, or it is a given directory ("/"
    // always is).
    bool is_directory(const char* path) const;
    // `path` with "//", "/./" and a trailing slash folded ("/" becomes ""); false when it is not
    // absolute (or the empty root) or too long.
    static bool normalise(const char* path, char (&out)[256]);

    // One entry of a directory listing: "." and ".." (cursor 0 and 1), then each file or
    // subdirectory directly in `directory` (a normalised path), once, the given directories' after
    // the files'. Advances `cursor`; false
    // at the end.
    struct Entry {
        char name[128];
        bool is_directory;
        uint64_t inode;
    };
    bool next_entry(const char* directory, uint64_t& cursor, Entry& entry) const;
    size_t count() const { return count_; }
    const PackedFile& at(size_t i) const { return files_[i]; }

private:
    // The `index`th name the listing walks: the files' paths, then the given directories.
    const char* listed(size_t index) const
    {
        return index < count_ ? files_[index].path : directories_[index - count_];
    }

    const PackedFile* files_;
    size_t count_;
    const char* const* directories_;
    size_t directory_count_;
};

} // namespace tessera::posix::server
