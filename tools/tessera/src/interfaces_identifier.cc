// Identifier checks for interface names.
#include "interfaces_identifier.h"

#include <algorithm>
#include <cctype>

namespace tessera::sdf {
namespace {

// Names become C and C++ identifiers in the generated headers, in lower and upper case.
bool is_keyword(std::string_view name)
{
    static constexpr const char* Keywords[] = {
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
        "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
        "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
        "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
        "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
        "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new",
        "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
        "protected", "public", "register", "reinterpret_cast", "requires", "restrict", "return",
        "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
        "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef",
        "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
        "wchar_t", "while", "xor", "xor_eq",
    };
    return std::find(std::begin(Keywords), std::end(Keywords), name) != std::end(Keywords);
}

bool is_identifier(std::string_view name)
{
    if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0])))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

// A required name attribute that must be an identifier; nullopt (reported) otherwise.
} // namespace

std::optional<std::string> identifier(Element& e, const char* attribute)
{
    auto name = e.required_text(attribute);
    if (!name)
        return std::nullopt;
    if (!is_identifier(*name)) {
        e.error(attribute, "name '" + *name + "' is not an identifier, expected a letter "
                           "followed by letters, digits and underscores");
        return std::nullopt;
    }
    if (is_keyword(*name)) {
        e.error(attribute, "name '" + *name + "' is a C or C++ keyword, expected another name");
        return std::nullopt;
    }
    return name;
}

} // namespace tessera::sdf
