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
    FileTable(const PackedFile* files, size_t count) : files_(files), count_(count) {}
    // The file at `path` (after "//" and "/./" are folded), or null.
    const PackedFile* find(const char* path) const;
    // Whether some file lies below `path`.
    bool is_directory(const char* path) const;
    size_t count() const { return count_; }
    const PackedFile& at(size_t i) const { return files_[i]; }

private:
    const PackedFile* files_;
    size_t count_;
};

} // namespace tessera::posix::server
