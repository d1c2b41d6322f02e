// Error reporting for system descriptions: every problem is collected with its file, line and
// column, so one run of the tool reports all of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::sdf {

// A position in the description file; line and column count from 1, 0 means "unknown".
struct Location {
    uint32_t line = 0;
    uint32_t column = 0;
    auto operator<=>(const Location&) const = default;
};

struct Diagnostic {
    Location where;
    std::string message;
};

class Diagnostics {
public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    void error(Location where, std::string message);
    bool empty() const { return errors_.empty(); }
    size_t count() const { return errors_.size(); }
    const std::vector<Diagnostic>& all() const { return errors_; }
    const std::string& file() const { return file_; }

    // "FILE:LINE:COLUMN: error: MESSAGE", as compilers print, so editors can jump to it.
    std::string format(const Diagnostic& diagnostic) const;
    // "FILE:LINE:COLUMN", for messages that point at a second place.
    std::string where(Location location) const;
    // Every error, one per line, in file order.
    std::string format_all() const;

private:
    std::string file_;
    std::vector<Diagnostic> errors_;
};

// Turns byte offsets in the source text into lines and columns.
class SourceMap {
public:
    explicit SourceMap(std::string_view text);
    Location at(size_t offset) const;
    // The location of attribute `name` in the start tag beginning at element_offset (the '<'),
    // or the element's own location when the attribute is not written there.
    Location attribute(size_t element_offset, std::string_view name) const;

private:
    std::string_view text_;
    std::vector<size_t> line_starts_;
};

} // namespace tessera::sdf
