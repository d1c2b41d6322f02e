// Writes generated source text: lines at an indentation, and comments wrapped to the project's
// 100 columns, in C (/* */) or C++ (//) style.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::sdf {

enum class CommentStyle : uint8_t { C, Cpp };

class CodeWriter {
public:
    explicit CodeWriter(CommentStyle style) : style_(style) {}

    void line(std::string_view text = "");
    // A line ending in "{" (or any opener), then one level deeper.
    void open(std::string_view text);
    // A function's signature, its opening brace on a line of its own, then one level deeper.
    void open_function(std::string_view signature);
    // One level shallower, then the line (by default "}").
    void close(std::string_view text = "}");
    // A comment of one or more sentences, wrapped; empty text writes nothing.
    void comment(std::string_view text);
    const std::string& text() const { return out_; }

private:
    CommentStyle style_;
    std::string out_;
    int depth_ = 0;
};

// The parts with separator between them.
std::string join(const std::vector<std::string>& parts, const std::string& separator);

// The body of a generated predicate: `switch (subject) { case ...: return true; default: return
// false; }` over the given case labels.
void write_membership_switch(CodeWriter& out, const std::string& subject,
                             const std::vector<std::string>& labels);

// Text safe inside a generated comment: no comment terminator, no line breaks.
std::string comment_safe(std::string_view text);

} // namespace tessera::sdf
