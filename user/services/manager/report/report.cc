// `manager status` and `manager load` reports.
#include "report/report.h"

namespace tessera::manager {

using manager_config::Text;

namespace {
constexpr char Ellipsis[] = "...\n";
constexpr size_t EllipsisLength = sizeof(Ellipsis) - 1;
} // namespace

const char* state_name(ChildState state)
{
    switch (state) {
    case ChildState::Starting:
        return "starting";
    case ChildState::Running:
        return "running";
    case ChildState::Waiting:
        return "waiting";
    case ChildState::Stopped:
        return "stopped";
    case ChildState::Failed:
        return "failed";
    }
    return "?";
}

ReportBuffer::ReportBuffer(char* bytes, size_t capacity) : bytes_(bytes), capacity_(capacity)
{
    if (capacity_ > 0)
        bytes_[0] = '\0';
}

// Keeps room for the ellipsis and the NUL, so a truncated report still ends in a full line.
void ReportBuffer::put(char c)
{
    if (truncated_)
        return;
    if (capacity_ < EllipsisLength + 1 || length_ + EllipsisLength + 1 >= capacity_) {
        truncated_ = true;
        for (size_t i = 0; i < EllipsisLength && length_ + 1 < capacity_; ++i)
            bytes_[length_++] = Ellipsis[i];
        if (capacity_ > 0)
            bytes_[length_] = '\0';
        return;
    }
    bytes_[length_++] = c;
    bytes_[length_] = '\0';
}

ReportBuffer& ReportBuffer::text(Text text)
{
    for (size_t i = 0; i < text.length; ++i)
        put(text.data[i]);
    return *this;
}

ReportBuffer& ReportBuffer::number(uint64_t value)
{
    return padded(value, 0);
}

ReportBuffer& ReportBuffer::padded(uint64_t value, size_t width)
{
    char digits[20];
    size_t count = 0;
    do {
        digits[count++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (size_t i = count; i < width; ++i)
        put(' ');
    while (count > 0)
        put(digits[--count]);
    return *this;
}

ReportBuffer& ReportBuffer::column(Text text, size_t width)
{
    this->text(text);
    for (size_t i = text.length; i < width; ++i)
        put(' ');
    put(' ');
    return *this;
}

// Columns (docs/dynamic.md): NAME (16, longer names push the line), STATE (8), RESTARTS (8),
// RAM_KIB and RAM_QUOTA in KiB (7, 9), CAPS and CAPS_QUOTA in slots (6, 10).
void write_status(ReportBuffer& out, const ChildStatus* children, size_t count)
{
    out.text("NAME             STATE    RESTARTS  RAM_KIB RAM_QUOTA   CAPS CAPS_QUOTA\n");
    for (size_t i = 0; i < count; ++i) {
        const ChildStatus& child = children[i];
        out.column(child.name, 16)
            .column(Text(state_name(child.state)), 8)
            .padded(child.restarts, 8)
            .text("  ")
            .padded(child.ram_used / 1024, 7)
            .text(" ")
            .padded(child.ram_quota / 1024, 9)
            .text(" ")
            .padded(child.caps_used, 6)
            .text(" ")
            .padded(child.caps_quota, 10)
            .text("\n");
    }
}

namespace {

void names_line(ReportBuffer& out, const char* verb, const manager_config::Name* names,
                size_t count)
{
    if (count == 0)
        return;
    out.text(verb);
    for (size_t i = 0; i < count; ++i)
        out.text(" ").text(names[i].text());
    out.text("\n");
}

} // namespace

void write_applied(ReportBuffer& out, const manager_config::Difference& difference)
{
    if (difference.is_empty()) {
        out.text("unchanged\n");
        return;
    }
    names_line(out, "stopped", difference.stop, difference.stop_count);
    names_line(out, "started", difference.start, difference.start_count);
    names_line(out, "restarted", difference.restart, difference.restart_count);
    names_line(out, "kept", difference.keep, difference.keep_count);
}

void write_rejected(ReportBuffer& out, Text path, const manager_config::Diagnostics& diagnostics)
{
    out.text(path)
        .text(": rejected, ")
        .number(diagnostics.count())
        .text(diagnostics.count() == 1 ? " error" : " errors")
        .text("; the running configuration stays\n");
    for (size_t i = 0; i < diagnostics.kept(); ++i) {
        const manager_config::Diagnostic& d = diagnostics.all()[i];
        out.text(path)
            .text(":")
            .number(d.where.line)
            .text(":")
            .number(d.where.column)
            .text(": ")
            .text(Text(d.message))
            .text("\n");
    }
    if (diagnostics.count() > diagnostics.kept())
        out.number(diagnostics.count() - diagnostics.kept()).text(" more not shown\n");
}

} // namespace tessera::manager
