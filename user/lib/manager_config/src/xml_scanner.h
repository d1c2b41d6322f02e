// A small XML scanner for configurations: start tags with attributes, end tags, comments and the
// <?xml?> declaration, with line and column for everything. No DTD, CDATA or text content: a
// configuration has none, so they are errors rather than silently accepted.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/manager_config/text.h>

namespace tessera::manager_config {

constexpr size_t MaxAttributes = 12;
constexpr size_t ValueCapacity = 127;

struct Attribute {
    Text name;
    FixedString<ValueCapacity> value; // entity references decoded
    bool value_fits = true;
    Location where;
};

enum class TokenKind : uint8_t { StartTag, EndTag, End, Error };

struct Token {
    TokenKind kind = TokenKind::End;
    Text name;
    Attribute attributes[MaxAttributes];
    size_t attribute_count = 0;
    bool self_closing = false;
    Location where;
    const char* error = nullptr; // TokenKind::Error: why
};

class Scanner {
public:
    Scanner(Text source, size_t offset);
    // Fills `token` with the next tag; comments, declarations and whitespace are skipped.
    void next(Token& token);
    // Bytes consumed so far: after the last token's '>'.
    size_t position() const { return position_; }
    Text source() const { return source_; }

private:
    Location location() const { return Location{line_, column_}; }
    bool at_end() const { return position_ >= source_.length; }
    char peek(size_t ahead = 0) const;
    void advance();
    void skip_space();
    bool skip_past(Text terminator);
    bool read_name(Text& name);
    bool read_value(Attribute& attribute);
    void fail(Token& token, const char* why);
    void fail_at(Token& token, const char* why, Location where);
    void start_tag(Token& token);

    Text source_;
    size_t position_;
    uint32_t line_ = 1;
    uint32_t column_ = 1;
};

} // namespace tessera::manager_config
