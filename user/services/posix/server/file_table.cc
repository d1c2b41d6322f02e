// Path lookup in the packed root file system.
#include "server/file_table.h"

#include <string.h>

namespace tessera::posix::server {

namespace {

// Folds repeated slashes and "." components and drops a trailing slash; false when too long.
bool normalise(const char* path, char (&out)[256])
{
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

} // namespace

const PackedFile* FileTable::find(const char* path) const
{
    char name[256];
    if (path[0] != '/' || !normalise(path, name))
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
    if (path[0] != '/' || !normalise(path, name))
        return false;
    const size_t length = strlen(name);
    for (size_t i = 0; i < count_; ++i) {
        if (strncmp(files_[i].path, name, length) == 0 && files_[i].path[length] == '/')
            return true;
    }
    return false;
}

} // namespace tessera::posix::server
