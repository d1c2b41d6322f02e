// mkdir PATH, rmdir PATH, rm PATH, mv FROM TO, ln [-s] TARGET NAME.
#include <string.h>

#include "commands.h"

namespace tessera::services::shell {

namespace {
// A command of one path and one call.
Outcome one_path(tessera_fs& fs, Out& out, const Words& words, const char* usage,
                 int (*call)(tessera_fs*, const char*))
{
    if (words.count != 2) {
        out.usage(words.items[0], usage);
        return Outcome::Continue;
    }
    if (call(&fs, words.items[1]) != 0)
        out.error(words.items[0], words.items[1]);
    return Outcome::Continue;
}

int make_directory(tessera_fs* fs, const char* path) { return tessera_fs_mkdir(fs, path, 0755); }
} // namespace

Outcome make_directory(tessera_fs& fs, Out& out, const Words& words)
{
    return one_path(fs, out, words, "mkdir PATH", make_directory);
}

Outcome remove_directory(tessera_fs& fs, Out& out, const Words& words)
{
    return one_path(fs, out, words, "rmdir PATH", tessera_fs_rmdir);
}

Outcome remove_file(tessera_fs& fs, Out& out, const Words& words)
{
    return one_path(fs, out, words, "rm PATH", tessera_fs_unlink);
}

Outcome move(tessera_fs& fs, Out& out, const Words& words)
{
    if (words.count != 3) {
        out.usage("mv", "mv FROM TO");
        return Outcome::Continue;
    }
    if (tessera_fs_rename(&fs, words.items[1], words.items[2]) != 0)
        out.error("mv", words.items[1]);
    return Outcome::Continue;
}

Outcome make_link(tessera_fs& fs, Out& out, const Words& words)
{
    bool symbolic = words.count > 1 && strcmp(words.items[1], "-s") == 0;
    size_t first = symbolic ? 2 : 1;
    if (words.count != first + 2) {
        out.usage("ln", "ln [-s] TARGET NAME");
        return Outcome::Continue;
    }
    const char* target = words.items[first];
    const char* name = words.items[first + 1];
    int result = symbolic ? tessera_fs_symlink(&fs, target, name) : tessera_fs_link(&fs, target, name);
    if (result != 0)
        out.error("ln", name);
    return Outcome::Continue;
}

} // namespace tessera::services::shell
