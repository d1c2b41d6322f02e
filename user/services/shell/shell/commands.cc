// The command table: names to functions.
#include <string.h>

#include "commands.h"

namespace tessera::services::shell {

Outcome list(tessera_fs& fs, Out& out, const Words& words);
Outcome cat(tessera_fs& fs, Out& out, const Words& words);
Outcome write_file(tessera_fs& fs, Out& out, const Words& words);
Outcome append_file(tessera_fs& fs, Out& out, const Words& words);
Outcome make_directory(tessera_fs& fs, Out& out, const Words& words);
Outcome remove_directory(tessera_fs& fs, Out& out, const Words& words);
Outcome remove_file(tessera_fs& fs, Out& out, const Words& words);
Outcome move(tessera_fs& fs, Out& out, const Words& words);
Outcome make_link(tessera_fs& fs, Out& out, const Words& words);
Outcome stat_path(tessera_fs& fs, Out& out, const Words& words);
Outcome disk_free(tessera_fs& fs, Out& out, const Words& words);
Outcome sync_all(tessera_fs& fs, Out& out, const Words& words);
Outcome help(tessera_fs& fs, Out& out, const Words& words);
Outcome halt(tessera_fs& fs, Out& out, const Words& words);

namespace {
struct Command {
    const char* name;
    Outcome (*run)(tessera_fs&, Out&, const Words&);
};

constexpr Command Commands[] = {
    {"ls", list},          {"cat", cat},           {"write", write_file},
    {"append", append_file}, {"mkdir", make_directory}, {"rmdir", remove_directory},
    {"rm", remove_file},   {"mv", move},           {"ln", make_link},
    {"stat", stat_path},   {"df", disk_free},      {"sync", sync_all},
    {"help", help},        {"halt", halt},
};
} // namespace

Outcome run_command(tessera_fs& fs, ManagerLink* manager, Out& out, const Words& words)
{
    // The one command that needs more than the file system.
    if (strcmp(words.items[0], "manager") == 0)
        return manager_command(fs, manager, out, words);
    for (const Command& command : Commands)
        if (strcmp(words.items[0], command.name) == 0)
            return command.run(fs, out, words);
    out.line("%s: command not found", words.items[0]);
    return Outcome::Continue;
}

} // namespace tessera::services::shell
