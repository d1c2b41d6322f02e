// Indentation and comment wrapping for generated headers.
#include "gen_writer.h"


namespace tessera::sdf {
namespace {

constexpr size_t Columns = 100;

std::vector<std::string> words_of(std::string_view text)
{
    std::vector<std::string> words;
    size_t at = 0;
    while (at < text.size()) {
        const size_t start = text.find_first_not_of(' ', at);
        if (start == std::string_view::npos)
            break;
        size_t end = text.find(' ', start);
        if (end == std::string_view::npos)
            end = text.size();
        words.emplace_back(text.substr(start, end - start));
        at = end;
    }
    return words;
}

} // namespace

void CodeWriter::line(std::string_view text)
{
    if (!text.empty())
        out_.append(static_cast<size_t>(depth_) * 4, ' ');
    out_ += text;
    out_ += '\n';
}

void CodeWriter::open(std::string_view text)
{
    line(text);
    ++depth_;
}

void CodeWriter::open_function(std::string_view signature)
{
    line(signature);
    line("{");
    ++depth_;
}

void CodeWriter::close(std::string_view text)
{
    --depth_;
    line(text);
}

void CodeWriter::comment(std::string_view text)
{
    const std::string safe = comment_safe(text);
    const std::vector<std::string> words = words_of(safe);
    if (words.empty())
        return;
    const size_t indent = static_cast<size_t>(depth_) * 4;
    const std::string first = style_ == CommentStyle::C ? "/* " : "// ";
    const std::string next = style_ == CommentStyle::C ? " * " : "// ";
    std::vector<std::string> lines;
    std::string current = first;
    for (const std::string& word : words) {
        // Both prefixes are three characters long.
        const bool fresh = current.size() == 3;
        if (!fresh && indent + current.size() + 1 + word.size() > Columns) {
            lines.push_back(current);
            current = next;
        }
        if (current.size() > 3)
            current += ' ';
        current += word;
    }
    if (style_ == CommentStyle::C)
        current += indent + current.size() + 3 > Columns ? "\n" + std::string(indent, ' ') + " */" : " */";
    lines.push_back(current);
    for (const std::string& text_line : lines)
        line(text_line);
}

std::string join(const std::vector<std::string>& parts, const std::string& separator)
{
    std::string out;
    for (const std::string& part : parts)
        out += (out.empty() ? "" : separator) + part;
    return out;
}

void write_membership_switch(CodeWriter& out, const std::string& subject,
                             const std::vector<std::string>& labels)
{
    out.line("switch (" + subject + ") {");
    for (const std::string& label : labels)
        out.line("case " + label + ":");
    out.line("    return true;");
    out.line("default:");
    out.line("    return false;");
    out.line("}");
}

std::string comment_safe(std::string_view text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n' || c == '\r' || c == '\t')
            out += ' ';
        else if (c == '\\')
            out += '/'; // a backslash ending a // comment would continue it onto the next line
        else if (c == '*' && i + 1 < text.size() && text[i + 1] == '/')
            out += "* ";
        else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*')
            out += "/ ";
        else
            out += c;
    }
    return out;
}

} // namespace tessera::sdf
