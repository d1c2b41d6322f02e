// The server's mounts: which volume serves a folded absolute name (the longest mount point that
// holds it, the root's "/" otherwise), and /proc/mounts' text, one line a mount in Linux's
// format ("source point type options 0 0"), which df, mount and getmntent read.
#pragma once

#include <stddef.h>

#include "core/fs/volume.h"

namespace tessera::posix::fs {

struct Mount {
    const char* point = "/"; // absolute, folded; "/" is the root
    Volume* volume = nullptr;
    const char* source = "none";
    const char* type = "none";
    const char* options = "rw";
};

class MountTable {
public:
    static constexpr size_t MaxMounts = 8;

    // False when the table is full. A later mount at a point hides an earlier one there.
    bool add(const Mount& mount);
    // The mount `name` lies in, or null when there is none (not even a root).
    const Mount* find(const char* name) const;
    Mount* at(size_t i) { return i < count_ ? &mounts_[i] : nullptr; }
    const Mount* at(size_t i) const { return i < count_ ? &mounts_[i] : nullptr; }
    size_t count() const { return count_; }
    // /proc/mounts: the lines in the order of mounting. Its length; at most `capacity` bytes.
    size_t format(char* buffer, size_t capacity) const;

private:
    Mount mounts_[MaxMounts];
    size_t count_ = 0;
};

// Whether `name` is `point` or below it ("/" holds every name).
bool mount_holds(const char* point, const char* name);

} // namespace tessera::posix::fs
