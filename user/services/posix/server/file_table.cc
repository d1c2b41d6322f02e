// Path lookup in the packed root file system.
#include "server/file_table.h"

#include <string.h>

namespace tessera::posix::server {

bool FileTable::normalise(const char* path, char (&out)[256])
{
    // An empty path is the root in its normalised form ("" is what "/" folds to).
    if (path[0] != '/' && path[0] != '\0')
        return false;
    size_t n = 0;
    const char* p = path;
    while (*p != '\0') {
        while (*p == '/')
            ++p;
        if (*p == '\0')
            break;
        const char* end = p;
        while (*end != '\0' && *end != '/')
            ++end;
        const size_t length = size_t(end - p);
        if (!(length == 1 && p[0] == '.')) {
            if (n + 1 + length >= sizeof(out))
                return false;
            out[n++] = '/';
            memcpy(out + n, p, length);
            n += length;
        }
        p = end;
    }
    out[n] = '\0';
    return true;
}

const PackedFile* FileTable::find(const char* path) const
{
    char name[256];
    if (!normalise(path, name))
        return nullptr;
    for (size_t i = 0; i < count_; ++i) {
        if (strcmp(files_[i].path, name) == 0)
            return &files_[i];
    }
    return nullptr;
}

bool FileTable::is_directory(const char* path) const
{
    char name[256];
    if (!normalise(path, name))
        return false;
    if (name[0] == '\0')
        return true; // the root
    const size_t length = strlen(name);
    for (size_t i = 0; i < count_ + directory_count_; ++i) {
        const char* path = listed(i);
        if (strncmp(path, name, length) == 0 &&
            (path[length] == '/' || (i >= count_ && path[length] == '\0')))
            return true;
    }
    return false;
}

bool FileTable::next_entry(const char* directory, uint64_t& cursor, Entry& entry) const
{
    if (cursor < 2) {
        strcpy(entry.name, cursor == 0 ? "." : "..");
        entry.is_directory = true;
        entry.inode = 1;
        ++cursor;
        return true;
    }
    const size_t length = strlen(directory);
    for (; cursor - 2 < count_ + directory_count_; ++cursor) {
        const size_t index = size_t(cursor - 2);
        const char* path = listed(index);
        if (strncmp(path, directory, length) != 0 || path[length] != '/')
            continue;
        const char* name = path + length + 1;
        const char* slash = strchr(name, '/');
        const size_t name_length = slash ? size_t(slash - name) : strlen(name);
        if (name_length >= sizeof entry.name)
            continue;
        // A subdirectory is listed at the first name below it only (a given directory is a
        // subdirectory even without a slash after its name).
        const bool subdirectory = slash != nullptr || index >= count_;
        bool seen = false;
        for (size_t i = 0; subdirectory && i < index && !seen; ++i) {
            const char* other = listed(i);
            const size_t prefix = length + 1 + name_length;
            // The character after the prefix only once the prefix matched (no read past).
            seen = strncmp(other, path, prefix) == 0 &&
                   (other[prefix] == '/' || (i >= count_ && other[prefix] == '\0'));
        }
        if (seen)
            continue;
        memcpy(entry.name, name, name_length);
        entry.name[name_length] = '\0';
        entry.is_directory = subdirectory;
        entry.inode = index < count_ ? 2 + index : 1;
        ++cursor;
        return true;
    }
    return false;
}

} // namespace tessera::posix::server
