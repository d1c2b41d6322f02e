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

// The dynamic manager, if the system has one (docs/dynamic.md, "Control calls"): a buffer
// shared with it and two calls. A text goes into buffer() and the report comes back in it.
class ManagerLink {
public:
    enum class Reply { Applied, Rejected, Unreachable };
    struct Answer {
        Reply reply;
        size_t length; // of the report in buffer()
    };
    virtual char* buffer() = 0;
    virtual size_t capacity() const = 0;
    // buffer() holds a configuration text of `text_length` bytes, then the file's path of
    // `path_length` bytes (the report names it).
    virtual Answer load(size_t text_length, size_t path_length) = 0;
    // With `path_length` bytes of a path in buffer() ("child/"), the status of the manager that
    // child runs; 0: this manager's.
    virtual Answer status(size_t path_length) = 0;

protected:
    ~ManagerLink() = default;
};

class Shell {
public:
    // Longest command line; a longer one is refused whole.
    static constexpr size_t LineMax = 4096;
    // Most words on a line (the command and its arguments).
    static constexpr size_t WordMax = 64;

    // Without a manager, `manager` says there is none.
    Shell(tessera_fs& fs, Terminal& terminal, ManagerLink* manager = nullptr)
        : fs_(fs), terminal_(terminal), manager_(manager)
    {
    }

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
    ManagerLink* manager_;
    char line_[LineMax + 1];
    size_t length_ = 0;
    bool overflowed_ = false;
    bool halted_ = false;
};

} // namespace tessera::services::shell
