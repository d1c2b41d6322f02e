// Formatting of collected errors and offset-to-line translation.
#include "diagnostics.h"

#include <algorithm>
#include <cctype>

namespace tessera::sdf {

void Diagnostics::error(Location where, std::string message)
{
    errors_.push_back(Diagnostic{where, std::move(message)});
}

std::string Diagnostics::where(Location location) const
{
    return file_ + ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
}

std::string Diagnostics::format(const Diagnostic& diagnostic) const
{
    return where(diagnostic.where) + ": error: " + diagnostic.message;
}

std::string Diagnostics::format_all() const
{
    // Checks run in several passes; sorting by position reads like the file (stable keeps the
    // order of several errors at one place).
    std::vector<Diagnostic> sorted = errors_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.where < b.where; });
    std::string out;
    for (const auto& diagnostic : sorted)
        out += format(diagnostic) + "\n";
    return out;
}

SourceMap::SourceMap(std::string_view text) : text_(text)
{
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n')
            line_starts_.push_back(i + 1);
}

Location SourceMap::at(size_t offset) const
{
    auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const size_t line = static_cast<size_t>(next - line_starts_.begin());
    const size_t column = offset - line_starts_[line - 1] + 1;
    return Location{static_cast<uint32_t>(line), static_cast<uint32_t>(column)};
}

Location SourceMap::attribute(size_t element_offset, std::string_view name) const
{
    // pugixml keeps no attribute positions, so scan the start tag; quoted values are skipped so
    // an attribute name inside another attribute's value is not taken for the attribute.
    size_t i = element_offset;
    char quote = 0;
    while (i < text_.size()) {
        const char c = text_[i];
        if (quote != 0) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            break;
        } else if (std::isspace(static_cast<unsigned char>(c)) && text_.substr(i + 1, name.size()) == name) {
            size_t after = i + 1 + name.size();
            while (after < text_.size() && std::isspace(static_cast<unsigned char>(text_[after])))
                ++after;
            if (after < text_.size() && text_[after] == '=')
                return at(i + 1);
        }
        ++i;
    }
    return at(element_offset);
}

} // namespace tessera::sdf
