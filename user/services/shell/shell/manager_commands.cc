// manager status, manager load PATH: the dynamic manager's report, and a new configuration read
// from the file system and applied as a difference (docs/dynamic.md, "Reports").
#include <errno.h>
#include <string.h>

#include "commands.h"

namespace tessera::services::shell {

namespace {

void print_answer(ManagerLink& manager, Out& out, ManagerLink::Answer answer)
{
    if (answer.reply == ManagerLink::Reply::Unreachable) {
        out.line("manager: the manager did not answer");
        return;
    }
    const size_t length = answer.length < manager.capacity() ? answer.length : manager.capacity();
    out.bytes(manager.buffer(), length);
    if (length > 0 && manager.buffer()[length - 1] != '\n')
        out.text("\n");
}

// The whole file into the manager's buffer, with room left for its path after it. False (and
// said) when it cannot be read or does not fit.
bool read_whole(tessera_fs& fs, ManagerLink& manager, Out& out, const char* path, size_t& length)
{
    const size_t room = manager.capacity() - strlen(path);
    int fd = tessera_fs_open(&fs, path, TESSERA_FS_O_RDONLY, 0);
    if (fd < 0) {
        out.error("manager", path);
        return false;
    }
    length = 0;
    bool ok = true;
    for (;;) {
        // One byte beyond the room: a file that fills it exactly is still told from a longer one.
        char* into = manager.buffer() + length;
        const size_t want = length < room ? room - length : 1;
        char spill;
        long got = tessera_fs_read(&fs, fd, length < room ? into : &spill, want);
        if (got < 0) {
            out.error("manager", path);
            ok = false;
            break;
        }
        if (got == 0)
            break;
        if (length >= room) {
            out.line("manager: %s: longer than %zu bytes", path, room);
            ok = false;
            break;
        }
        length += static_cast<size_t>(got);
    }
    tessera_fs_close(&fs, fd);
    return ok;
}

} // namespace

Outcome manager_command(tessera_fs& fs, ManagerLink* manager, Out& out, const Words& words)
{
    const bool status = (words.count == 2 || words.count == 3) && strcmp(words.items[1], "status") == 0;
    const bool load = words.count == 3 && strcmp(words.items[1], "load") == 0;
    if (!status && !load) {
        out.usage("manager", "manager status [CHILD/] | manager load PATH");
        return Outcome::Continue;
    }
    if (manager == nullptr) {
        out.line("manager: this system has no dynamic manager");
        return Outcome::Continue;
    }
    const char* path = words.count == 3 ? words.items[2] : "";
    const size_t path_length = strlen(path);
    if (path_length >= manager->capacity()) {
        errno = ENAMETOOLONG;
        out.error("manager", path);
        return Outcome::Continue;
    }
    if (status) {
        // A nested manager's children: the path to the child that runs it, "nest/".
        memcpy(manager->buffer(), path, path_length);
        print_answer(*manager, out, manager->status(path_length));
        return Outcome::Continue;
    }
    size_t length = 0;
    if (!read_whole(fs, *manager, out, path, length))
        return Outcome::Continue;
    memcpy(manager->buffer() + length, path, path_length);
    print_answer(*manager, out, manager->load(length, path_length));
    return Outcome::Continue;
}

} // namespace tessera::services::shell
