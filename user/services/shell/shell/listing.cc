// ls [-l] [PATH]: a directory's names sorted bytewise without "." and "..", or a file's own.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

namespace tessera::services::shell {

namespace {

int bytewise(const void* left, const void* right)
{
    const unsigned char* a = *static_cast<const unsigned char* const*>(left);
    const unsigned char* b = *static_cast<const unsigned char* const*>(right);
    while (*a != 0 && *a == *b) {
        ++a;
        ++b;
    }
    return *a - *b;
}

// One ls -l line: mode, links, size, name (and a symlink's target).
void long_line(tessera_fs& fs, Out& out, const char* path, const char* name)
{
    struct tessera_fs_stat st;
    if (tessera_fs_lstat(&fs, path, &st) != 0) {
        out.error("ls", path);
        return;
    }
    char mode[11];
    mode_string(st.mode, mode);
    if ((st.mode & TESSERA_FS_S_IFMT) == TESSERA_FS_S_IFLNK) {
        char target[TESSERA_FS_PATH_MAX];
        long length = tessera_fs_readlink(&fs, path, target, sizeof target - 1);
        if (length >= 0) {
            target[length < static_cast<long>(sizeof target) - 1 ? length : sizeof target - 1] = '\0';
            out.line("%s %u %llu %s -> %s", mode, st.links, static_cast<unsigned long long>(st.size),
                     name, target);
            return;
        }
    }
    out.line("%s %u %llu %s", mode, st.links, static_cast<unsigned long long>(st.size), name);
}

// The directory's names, sorted; nullptr and errno on failure. The caller frees each and the array.
char** sorted_names(tessera_fs& fs, const char* path, size_t& count)
{
    int fd = tessera_fs_opendir(&fs, path);
    if (fd < 0)
        return nullptr;
    size_t capacity = 64;
    char** names = static_cast<char**>(malloc(capacity * sizeof(char*)));
    count = 0;
    tessera_fs_entry entry;
    int got = 0;
    while (names != nullptr && (got = tessera_fs_readdir(&fs, fd, &entry)) == 1) {
        if (strcmp(entry.name, ".") == 0 || strcmp(entry.name, "..") == 0)
            continue;
        if (count == capacity) {
            capacity *= 2;
            char** grown = static_cast<char**>(realloc(names, capacity * sizeof(char*)));
            if (grown == nullptr)
                break;
            names = grown;
        }
        char* copy = strdup(entry.name);
        if (copy == nullptr)
            break;
        names[count++] = copy;
    }
    int saved = got < 0 ? errno : ENOMEM;
    bool complete = got == 0;
    tessera_fs_close(&fs, fd);
    if (!complete) {
        for (size_t i = 0; names != nullptr && i < count; ++i)
            free(names[i]);
        free(names);
        errno = saved;
        return nullptr;
    }
    qsort(names, count, sizeof(char*), bytewise);
    return names;
}

} // namespace

Outcome list(tessera_fs& fs, Out& out, const Words& words)
{
    bool detailed = words.count > 1 && strcmp(words.items[1], "-l") == 0;
    size_t first = detailed ? 2 : 1;
    if (words.count > first + 1) {
        out.usage("ls", "ls [-l] [PATH]");
        return Outcome::Continue;
    }
    const char* path = words.count > first ? words.items[first] : "/";
    struct tessera_fs_stat st;
    if (tessera_fs_lstat(&fs, path, &st) != 0) {
        out.error("ls", path);
        return Outcome::Continue;
    }
    bool is_directory = (st.mode & TESSERA_FS_S_IFMT) == TESSERA_FS_S_IFDIR;
    // A symlink to a directory lists the directory, as ls does for a named link.
    if ((st.mode & TESSERA_FS_S_IFMT) == TESSERA_FS_S_IFLNK && !detailed) {
        struct tessera_fs_stat target;
        is_directory = tessera_fs_stat(&fs, path, &target) == 0 &&
                       (target.mode & TESSERA_FS_S_IFMT) == TESSERA_FS_S_IFDIR;
    }
    if (!is_directory) {
        if (detailed)
            long_line(fs, out, path, path);
        else
            out.line("%s", path);
        return Outcome::Continue;
    }
    size_t count = 0;
    char** names = sorted_names(fs, path, count);
    if (names == nullptr) {
        out.error("ls", path);
        return Outcome::Continue;
    }
    size_t path_length = strlen(path);
    bool slash = path_length > 0 && path[path_length - 1] == '/';
    for (size_t i = 0; i < count; ++i) {
        if (detailed) {
            char full[TESSERA_FS_PATH_MAX];
            size_t name_length = strlen(names[i]);
            if (path_length + 1 + name_length < sizeof full) {
                memcpy(full, path, path_length);
                size_t at = path_length;
                if (!slash)
                    full[at++] = '/';
                memcpy(full + at, names[i], name_length + 1);
                long_line(fs, out, full, names[i]);
            } else {
                errno = ENAMETOOLONG;
                out.error("ls", names[i]);
            }
        } else {
            out.line("%s", names[i]);
        }
        free(names[i]);
    }
    free(names);
    return Outcome::Continue;
}

} // namespace tessera::services::shell
