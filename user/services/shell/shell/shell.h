// The shell's logic, free of kernel calls: lines in, commands run against the file-system
// service through the client library, plain text out. The protection domain (../pd/) feeds it
// the serial line; host tests feed it strings. docs/shell.md is the user's reference.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/fs_client.h>

namespace tessera::services::shell {

// Where the shell's text goes, and what halt does.
class Terminal {
public:
    virtual void write(const char* bytes, size_t length) = 0;
    // The prompt has no newline: send what is buffered now.
    virtual void flush() = 0;
    // After the final sync: end the system (status 0).
    virtual void power_off() = 0;

protected:
    ~Terminal() = default;
};

class Shell {
public:
    // Longest command line; a longer one is refused whole.
    static constexpr size_t LineMax = 4096;
    // Most words on a line (the command and its arguments).
    static constexpr size_t WordMax = 64;

    Shell(tessera_fs& fs, Terminal& terminal) : fs_(fs), terminal_(terminal) {}

    // Says why the volume is read-only or missing, if it is, then prints the first prompt.
    void start();
    // Input bytes: each complete line runs as a command. Carriage returns are ignored.
    void feed(const char* bytes, size_t length);
    // No more input: as `halt`.
    void end_of_input();
    bool has_halted() const { return halted_; }

private:
    void run_line(char* line, size_t length);
    void prompt();
    void halt();

    tessera_fs& fs_;
    Terminal& terminal_;
    char line_[LineMax + 1];
    size_t length_ = 0;
    bool overflowed_ = false;
    bool halted_ = false;
};

} // namespace tessera::services::shell
