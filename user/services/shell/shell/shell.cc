// Lines and words: input arrives in pieces; each complete line is split on spaces and run.
#include "shell.h"

#include <string.h>

#include "commands.h"

namespace tessera::services::shell {

void Shell::prompt()
{
    terminal_.write("$ ", 2);
    terminal_.flush();
}

// Before the first prompt, a volume that cannot be written (or is not there) is said once, with
// the service's reason: a user should not learn it from the first command's EIO or EROFS.
void Shell::start()
{
    Out out(terminal_);
    char reason[200];
    int state = tessera_fs_volume_status(&fs_, reason, sizeof reason);
    if (state < 0)
        out.error("shell", "the file system");
    else if (state == TESSERA_FS_VOLUME_NOT_MOUNTED)
        out.line("shell: no file system: %s", reason[0] != '\0' ? reason : "no reason given");
    else if (state == TESSERA_FS_VOLUME_READ_ONLY)
        out.line("shell: the volume is read-only: %s", reason[0] != '\0' ? reason : "no reason given");
    prompt();
}

void Shell::halt()
{
    Out out(terminal_);
    if (tessera_fs_sync(&fs_) != 0)
        out.error("halt", "sync");
    terminal_.flush();
    halted_ = true;
    terminal_.power_off();
}

void Shell::end_of_input()
{
    if (!halted_)
        halt();
}

void Shell::feed(const char* bytes, size_t length)
{
    for (size_t i = 0; i < length && !halted_; ++i) {
        char c = bytes[i];
        if (c == '\r')
            continue;
        if (c != '\n') {
            if (length_ < LineMax)
                line_[length_++] = c;
            else
                overflowed_ = true;
            continue;
        }
        if (overflowed_) {
            Out out(terminal_);
            out.line("shell: line longer than %zu bytes: ignored", LineMax);
        } else {
            run_line(line_, length_);
        }
        length_ = 0;
        overflowed_ = false;
        if (!halted_)
            prompt();
    }
}

void Shell::run_line(char* line, size_t length)
{
    line[length] = '\0';
    Words words;
    Out out(terminal_);
    char* cursor = line;
    while (*cursor != '\0') {
        while (*cursor == ' ')
            *cursor++ = '\0';
        if (*cursor == '\0')
            break;
        if (words.count == WordMax) {
            out.line("shell: more than %zu words: ignored", WordMax);
            return;
        }
        words.items[words.count++] = cursor;
        while (*cursor != '\0' && *cursor != ' ')
            ++cursor;
    }
    if (words.count == 0)
        return;
    if (run_command(fs_, manager_, out, words) == Outcome::Halt)
        halt();
}

} // namespace tessera::services::shell
