// The manager's answers to the shell: `manager status` (one child per line, in columns documented
// in docs/dynamic.md) and `manager load` (what was started, stopped and restarted, or why the file
// was rejected). Written into a caller's buffer; what does not fit ends in "...\n", never beyond.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/manager_config/diagnostics.h>
#include <tessera/manager_config/manager_config.h>

namespace tessera::manager {

enum class ChildState : uint8_t { Starting, Running, Waiting, Stopped, Failed };
const char* state_name(ChildState state);

struct ChildStatus {
    manager_config::Text name;
    ChildState state;
    uint32_t restarts;
    uint64_t ram_used, ram_quota;   // bytes
    uint64_t caps_used, caps_quota; // slots
};

class ReportBuffer {
public:
    ReportBuffer(char* bytes, size_t capacity);
    ReportBuffer& text(manager_config::Text text);
    ReportBuffer& number(uint64_t value);
    // `value` right-aligned in `width` columns (wider values are written whole).
    ReportBuffer& padded(uint64_t value, size_t width);
    // `text` left-aligned in `width` columns, then one space.
    ReportBuffer& column(manager_config::Text text, size_t width);
    size_t length() const { return length_; }
    bool truncated() const { return truncated_; }

private:
    void put(char c);
    char* bytes_;
    size_t capacity_;
    size_t length_ = 0;
    bool truncated_ = false;
};

// The header line and one line per child, in the order given.
void write_status(ReportBuffer& out, const ChildStatus* children, size_t count);
// "started a b", "stopped ...", "restarted ...", "kept ..." lines (empty sets left out), or
// "unchanged" when nothing changed.
void write_applied(ReportBuffer& out, const manager_config::Difference& difference);
// "PATH: rejected, N errors" then "PATH:LINE:COLUMN: MESSAGE" per error kept, and the count of
// those not kept. The running configuration is unchanged: the report says so.
void write_rejected(ReportBuffer& out, manager_config::Text path,
                    const manager_config::Diagnostics& diagnostics);

} // namespace tessera::manager
