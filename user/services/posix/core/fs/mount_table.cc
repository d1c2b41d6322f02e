#include "core/fs/mount_table.h"

#include <stdio.h>
#include <string.h>

namespace tessera::posix::fs {

bool mount_holds(const char* point, const char* name)
{
    if (strcmp(point, "/") == 0)
        return true;
    const size_t length = strlen(point);
    return strncmp(name, point, length) == 0 && (name[length] == '\0' || name[length] == '/');
}

bool MountTable::add(const Mount& mount)
{
    if (count_ == MaxMounts)
        return false;
    mounts_[count_++] = mount;
    return true;
}

const Mount* MountTable::find(const char* name) const
{
    const Mount* best = nullptr;
    size_t best_length = 0;
    for (size_t i = 0; i < count_; ++i) {
        const size_t length = strlen(mounts_[i].point);
        if (mount_holds(mounts_[i].point, name) && (best == nullptr || length >= best_length)) {
            best = &mounts_[i];
            best_length = length;
        }
    }
    return best;
}

size_t MountTable::format(char* buffer, size_t capacity) const
{
    size_t used = 0;
    for (size_t i = 0; i < count_; ++i) {
        const Mount& m = mounts_[i];
        char line[320];
        const int n = snprintf(line, sizeof line, "%s %s %s %s 0 0\n", m.source, m.point, m.type, m.options);
        if (n <= 0)
            continue;
        size_t length = size_t(n) < sizeof line ? size_t(n) : sizeof line - 1;
        if (length > capacity - used)
            length = capacity - used;
        memcpy(buffer + used, line, length);
        used += length;
    }
    return used;
}

} // namespace tessera::posix::fs
