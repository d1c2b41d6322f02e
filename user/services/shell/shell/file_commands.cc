// cat PATH, write PATH TEXT..., append PATH TEXT...
#include <errno.h>
#include <string.h>

#include "commands.h"

namespace tessera::services::shell {

Outcome cat(tessera_fs& fs, Out& out, const Words& words)
{
    if (words.count != 2) {
        out.usage("cat", "cat PATH");
        return Outcome::Continue;
    }
    const char* path = words.items[1];
    int fd = tessera_fs_open(&fs, path, TESSERA_FS_O_RDONLY, 0);
    if (fd < 0) {
        out.error("cat", path);
        return Outcome::Continue;
    }
    char buffer[4096];
    long got;
    while ((got = tessera_fs_read(&fs, fd, buffer, sizeof buffer)) > 0)
        out.bytes(buffer, static_cast<size_t>(got));
    if (got < 0)
        out.error("cat", path);
    tessera_fs_close(&fs, fd);
    return Outcome::Continue;
}

// write and append: the words after PATH joined by single spaces, then a newline.
static Outcome put_text(tessera_fs& fs, Out& out, const Words& words, const char* command, int mode_flag)
{
    if (words.count < 2) {
        char usage[48];
        memcpy(usage, command, strlen(command) + 1);
        strcat(usage, " PATH TEXT...");
        out.usage(command, usage);
        return Outcome::Continue;
    }
    const char* path = words.items[1];
    char text[Shell::LineMax + 1];
    size_t length = 0;
    for (size_t i = 2; i < words.count; ++i) {
        size_t word = strlen(words.items[i]);
        if (i > 2)
            text[length++] = ' ';
        memcpy(text + length, words.items[i], word);
        length += word;
    }
    text[length++] = '\n';
    int fd = tessera_fs_open(&fs, path, TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT | mode_flag, 0644);
    if (fd < 0) {
        out.error(command, path);
        return Outcome::Continue;
    }
    long wrote = tessera_fs_write(&fs, fd, text, length);
    if (wrote < 0) {
        out.error(command, path);
    } else if (static_cast<size_t>(wrote) < length) {
        errno = ENOSPC;
        out.error(command, path);
    }
    if (tessera_fs_close(&fs, fd) != 0 && wrote >= 0)
        out.error(command, path);
    return Outcome::Continue;
}

Outcome write_file(tessera_fs& fs, Out& out, const Words& words)
{
    return put_text(fs, out, words, "write", TESSERA_FS_O_TRUNC);
}

Outcome append_file(tessera_fs& fs, Out& out, const Words& words)
{
    return put_text(fs, out, words, "append", TESSERA_FS_O_APPEND);
}

} // namespace tessera::services::shell
