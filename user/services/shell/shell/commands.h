// The shell's commands. Each gets the words of its line (words[0] is the command's name) and
// prints through Out; errors are "CMD: PATH: REASON" with strerror's words.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/fs_client.h>

#include "shell.h"

namespace tessera::services::shell {

// Formatted output to the terminal.
class Out {
public:
    explicit Out(Terminal& terminal) : terminal_(terminal) {}
    void text(const char* text);
    void bytes(const char* bytes, size_t length) { terminal_.write(bytes, length); }
    void line(const char* format, ...) __attribute__((format(printf, 2, 3)));
    // "CMD: PATH: strerror(errno)".
    void error(const char* command, const char* path);
    // "CMD: usage: USAGE".
    void usage(const char* command, const char* usage);

private:
    Terminal& terminal_;
};

struct Words {
    char* items[Shell::WordMax];
    size_t count = 0;
};

enum class Outcome { Continue, Halt };

// Runs one command line (already split). Unknown names print "NAME: command not found".
// `manager` is null in a system without a dynamic manager.
Outcome run_command(tessera_fs& fs, ManagerLink* manager, Out& out, const Words& words);

// manager status, manager load PATH (manager_commands.cc).
Outcome manager_command(tessera_fs& fs, ManagerLink* manager, Out& out, const Words& words);

// ls -l's ten mode characters ("-rw-r--r--"), into buffer[11].
void mode_string(uint32_t mode, char* buffer);
// "YYYY-MM-DD HH:MM:SS" in UTC, into buffer[20].
void utc_time(int64_t seconds, char* buffer);

} // namespace tessera::services::shell
