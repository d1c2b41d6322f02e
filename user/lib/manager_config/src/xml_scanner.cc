// The configuration's XML scanner: one tag per call, positions tracked byte by byte (columns count
// bytes, as the tessera tool's own diagnostics do).
#include "xml_scanner.h"

namespace tessera::manager_config {
namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

} // namespace

Scanner::Scanner(Text source, size_t offset) : source_(source), position_(0)
{
    while (position_ < offset && !at_end())
        advance();
}

char Scanner::peek(size_t ahead) const
{
    return position_ + ahead < source_.length ? source_.data[position_ + ahead] : '\0';
}

void Scanner::advance()
{
    if (source_.data[position_] == '\n') {
        ++line_;
        column_ = 1;
    } else {
        ++column_;
    }
    ++position_;
}

void Scanner::skip_space()
{
    while (!at_end() && is_space(peek()))
        advance();
}

bool Scanner::skip_past(Text terminator)
{
    while (!at_end()) {
        if (Text(source_.data + position_, source_.length - position_ < terminator.length
                                               ? source_.length - position_
                                               : terminator.length) == terminator) {
            for (size_t i = 0; i < terminator.length; ++i)
                advance();
            return true;
        }
        advance();
    }
    return false;
}

bool Scanner::read_name(Text& name)
{
    if (!is_name_start(peek()))
        return false;
    const size_t start = position_;
    while (!at_end() && is_name_char(peek()))
        advance();
    name = Text(source_.data + start, position_ - start);
    return true;
}

// Decodes the five predefined entities and decimal/hex character references below 128; anything
// else is refused, so a value never holds bytes the writer did not mean.
bool Scanner::read_value(Attribute& attribute)
{
    const char quote = peek();
    if (quote != '"' && quote != '\'')
        return false;
    advance();
    char decoded[ValueCapacity + 1];
    size_t length = 0;
    attribute.value_fits = true;
    while (!at_end() && peek() != quote) {
        char c = peek();
        if (c == '<')
            return false;
        if (c == '&') {
            struct Entity {
                const char* text;
                char value;
            };
            static constexpr Entity entities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
            bool matched = false;
            for (const Entity& entity : entities) {
                const Text want(entity.text);
                if (source_.length - position_ >= want.length &&
                    Text(source_.data + position_, want.length) == want) {
                    for (size_t i = 1; i < want.length; ++i)
                        advance();
                    c = entity.value;
                    matched = true;
                    break;
                }
            }
            if (!matched)
                return false;
        }
        if (length < ValueCapacity)
            decoded[length++] = c;
        else
            attribute.value_fits = false;
        advance();
    }
    if (at_end())
        return false;
    advance(); // the closing quote
    attribute.value.assign(Text(decoded, length));
    return true;
}

void Scanner::fail(Token& token, const char* why)
{
    fail_at(token, why, location());
}

void Scanner::fail_at(Token& token, const char* why, Location where)
{
    token.kind = TokenKind::Error;
    token.error = why;
    token.where = where;
    position_ = source_.length; // nothing after an error is trusted
}

void Scanner::start_tag(Token& token)
{
    token.kind = TokenKind::StartTag;
    token.attribute_count = 0;
    token.self_closing = false;
    if (!read_name(token.name))
        return fail(token, "expected an element name after '<'");
    for (;;) {
        const bool spaced = is_space(peek());
        skip_space();
        if (at_end())
            return fail(token, "the file ends inside a start tag");
        if (peek() == '>') {
            advance();
            return;
        }
        if (peek() == '/' && peek(1) == '>') {
            advance();
            advance();
            token.self_closing = true;
            return;
        }
        if (!spaced)
            return fail(token, "expected whitespace, '>' or '/>' in the start tag");
        if (token.attribute_count == MaxAttributes)
            return fail(token, "too many attributes on one element");
        Attribute& attribute = token.attributes[token.attribute_count];
        attribute.where = location();
        if (!read_name(attribute.name))
            return fail(token, "expected an attribute name");
        for (size_t i = 0; i < token.attribute_count; ++i)
            if (token.attributes[i].name == attribute.name)
                return fail_at(token, "the same attribute is written twice", attribute.where);
        skip_space();
        if (peek() != '=')
            return fail(token, "expected '=' after the attribute name");
        advance();
        skip_space();
        if (!read_value(attribute))
            return fail(token, "expected a quoted attribute value (no '<'; entities: amp lt gt "
                               "quot apos)");
        ++token.attribute_count;
    }
}

void Scanner::next(Token& token)
{
    token = Token{};
    for (;;) {
        skip_space();
        token.where = location();
        if (at_end()) {
            token.kind = TokenKind::End;
            return;
        }
        if (peek() != '<')
            return fail(token, "text is not allowed in a manager configuration");
        if (peek(1) == '!' && peek(2) == '-' && peek(3) == '-') {
            if (!skip_past(Text("-->")))
                return fail(token, "the comment is not closed");
            continue;
        }
        if (peek(1) == '?') {
            if (!skip_past(Text("?>")))
                return fail(token, "the declaration is not closed");
            continue;
        }
        if (peek(1) == '!')
            return fail(token, "DTDs and CDATA are not allowed");
        advance();
        if (peek() == '/') {
            advance();
            token.kind = TokenKind::EndTag;
            if (!read_name(token.name))
                return fail(token, "expected an element name after '</'");
            skip_space();
            if (peek() != '>')
                return fail(token, "expected '>' to close the end tag");
            advance();
            return;
        }
        start_tag(token);
        return;
    }
}

} // namespace tessera::manager_config
