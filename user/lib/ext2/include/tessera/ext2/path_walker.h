// Path resolution confined to a root directory: "/" and every absolute symlink mean that root,
// and ".." stops there. ".." climbs the walk's own stack of directories rather than the on-disk
// ".." entry, so no path, symlink or damaged directory leads above the root.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/ext2/errno.h>
#include <tessera/ext2/file_system.h>
#include <tessera/ext2/types.h>

namespace tessera::ext2 {

// Linux's limit on symlinks followed in one resolution.
constexpr uint32_t SymlinkMax = 40;

class PathWalker {
public:
    explicit PathWalker(FileSystem& file_system) : fs_(file_system) {}

    enum class Follow { Yes, No }; // whether a symlink as the last component is followed

    // The inode path names, from root. Paths are bytes (not NUL-terminated); relative paths are
    // relative to root too. Errors: NoEnt, NotDir, Loop, NameTooLong, Io.
    Result<InodeNumber> resolve(InodeNumber root, const char* path, size_t length, Follow follow);

    struct Parent {
        InodeNumber directory{0};
        Name name; // points into the caller's path; empty when path names the root itself
    };
    // The directory that holds the last component of path, and that component (not looked up).
    // Trailing slashes are dropped ("a/b/" gives "b" in "a").
    Result<Parent> resolve_parent(InodeNumber root, const char* path, size_t length);

private:
    Result<InodeNumber> walk(InodeNumber root, const char* path, size_t length, Follow follow);

    FileSystem& fs_;
    static constexpr size_t StackMax = PathMax / 2;
    InodeNumber stack_[StackMax];
    char buffers_[2][PathMax];
    char link_[PathMax];
};

} // namespace tessera::ext2
