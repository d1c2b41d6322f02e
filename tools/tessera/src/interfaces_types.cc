// Type spellings, C layouts and message sizes of interface types.
#include "interfaces_types.h"

#include <algorithm>

#include "number.h"

namespace tessera::sdf {
namespace {

struct Builtin {
    const char* name;
    ElementKind kind;
    uint64_t size;
};

constexpr Builtin Builtins[] = {
    {"int8", ElementKind::Int8, 1},     {"int16", ElementKind::Int16, 2},
    {"int32", ElementKind::Int32, 4},   {"int64", ElementKind::Int64, 8},
    {"uint8", ElementKind::Uint8, 1},   {"uint16", ElementKind::Uint16, 2},
    {"uint32", ElementKind::Uint32, 4}, {"uint64", ElementKind::Uint64, 8},
    {"bool", ElementKind::Bool, 1},
};

uint64_t round_up(uint64_t value, uint64_t to) { return (value + to - 1) / to * to; }
uint64_t words_of(uint64_t bytes) { return round_up(bytes, 8) / 8; }

// The element named `name`: a builtin, an enum, or a struct declared before `structs_known`.
std::optional<Type> element_named(std::string_view name, const Interface& interface,
                                  size_t structs_known, std::string& why)
{
    for (const Builtin& builtin : Builtins)
        if (name == builtin.name)
            return Type{Shape::Single, builtin.kind, 0, 0, ""};
    for (size_t i = 0; i < interface.enums.size(); ++i)
        if (interface.enums[i].name == name)
            return Type{Shape::Single, ElementKind::Enum, i, 0, ""};
    for (size_t i = 0; i < interface.structs.size(); ++i)
        if (interface.structs[i].name == name) {
            if (i >= structs_known) {
                why = "struct '" + std::string(name) + "' is used before it is declared";
                return std::nullopt;
            }
            return Type{Shape::Single, ElementKind::Struct, i, 0, ""};
        }
    why = "'" + std::string(name) + "' is not a type: expected int8 to int64, uint8 to uint64, "
          "bool, string, an enum of interface '" + interface.name + "' or a struct declared above";
    return std::nullopt;
}

} // namespace

std::optional<Type> parse_type(std::string_view spelling, std::optional<uint64_t> bound,
                               const Interface& interface, size_t structs_known, TypeUse use,
                               std::string& why)
{
    std::optional<Type> type;
    if (spelling == "string") {
        type = Type{Shape::String, ElementKind::Uint8, 0, 0, ""};
    } else if (spelling.size() >= 2 && spelling.back() == ']') {
        const size_t open = spelling.rfind('[');
        if (open == std::string_view::npos || open == 0) {
            why = "'" + std::string(spelling) + "' is not a type: arrays are written T[N] or T[]";
            return std::nullopt;
        }
        type = element_named(spelling.substr(0, open), interface, structs_known, why);
        if (!type)
            return std::nullopt;
        const std::string_view count = spelling.substr(open + 1, spelling.size() - open - 2);
        if (count.empty()) {
            type->shape = Shape::Sequence;
        } else {
            auto n = parse_integer(std::string(count));
            if (!n || *n == 0 || *n > MaxBound) {
                why = "array length '" + std::string(count) + "' in '" + std::string(spelling) +
                      "' is invalid, expected 1 to " + std::to_string(MaxBound);
                return std::nullopt;
            }
            type->shape = Shape::FixedArray;
            type->count = *n;
        }
    } else {
        type = element_named(spelling, interface, structs_known, why);
        if (!type)
            return std::nullopt;
    }
    type->spelling = std::string(spelling);

    const bool bounded = type->shape == Shape::Sequence || type->shape == Shape::String;
    if (bounded && !bound) {
        why = "type '" + type->spelling + "' needs a bound (the most elements it may hold)";
        return std::nullopt;
    }
    if (!bounded && bound) {
        why = "type '" + type->spelling + "' takes no bound (only string and T[] do)";
        return std::nullopt;
    }
    if (bounded) {
        if (*bound == 0 || *bound > MaxBound) {
            why = "bound " + std::to_string(*bound) + " is out of range, expected 1 to " +
                  std::to_string(MaxBound);
            return std::nullopt;
        }
        type->count = *bound;
    }

    const bool is_struct = type->element == ElementKind::Struct;
    switch (use) {
    case TypeUse::Parameter:
        if (is_struct) {
            why = "struct '" + type->spelling + "' cannot be a parameter: structs type dataports";
            return std::nullopt;
        }
        break;
    case TypeUse::Result:
        if (type->shape != Shape::Single || is_struct) {
            why = "a method returns a single integer, bool or enum, not '" + type->spelling +
                  "' (use an out parameter)";
            return std::nullopt;
        }
        break;
    case TypeUse::Field:
        if (bounded) {
            why = "a struct field has a fixed size; '" + type->spelling + "' has not";
            return std::nullopt;
        }
        break;
    case TypeUse::Dataport:
        if (bounded || (type->shape == Shape::Single && !is_struct)) {
            why = "a dataport holds a struct or a fixed array (T[N]), not '" + type->spelling + "'";
            return std::nullopt;
        }
        break;
    }
    return type;
}

std::string element_spelling(const Type& type, const Interface& interface)
{
    switch (type.element) {
    case ElementKind::Enum:
        return interface.enums[type.index].name;
    case ElementKind::Struct:
        return interface.structs[type.index].name;
    default:
        for (const Builtin& builtin : Builtins)
            if (builtin.kind == type.element)
                return builtin.name;
    }
    return "?";
}

std::string canonical_spelling(const Type& type, const Interface& interface)
{
    const std::string element = element_spelling(type, interface);
    switch (type.shape) {
    case Shape::Single:
        return element;
    case Shape::FixedArray:
        return element + "[" + std::to_string(type.count) + "]";
    case Shape::Sequence:
        return element + "[]<" + std::to_string(type.count) + ">";
    case Shape::String:
        return "string<" + std::to_string(type.count) + ">";
    }
    return "?";
}

uint64_t element_size(const Type& type, const Interface& interface)
{
    if (type.element == ElementKind::Enum)
        return 4;
    if (type.element == ElementKind::Struct)
        return interface.structs[type.index].size;
    for (const Builtin& builtin : Builtins)
        if (builtin.kind == type.element)
            return builtin.size;
    return 8;
}

uint64_t element_alignment(const Type& type, const Interface& interface)
{
    if (type.element == ElementKind::Struct)
        return interface.structs[type.index].alignment;
    return element_size(type, interface);
}

StructLayout struct_layout(const StructType& type, const Interface& interface)
{
    StructLayout layout;
    uint64_t offset = 0;
    for (const StructField& field : type.fields) {
        const uint64_t alignment = element_alignment(field.type, interface);
        offset = round_up(offset, alignment);
        layout.offsets.push_back(offset);
        offset += type_size(field.type, interface);
        layout.alignment = std::max(layout.alignment, alignment);
    }
    layout.size = round_up(std::max<uint64_t>(offset, 1), layout.alignment);
    return layout;
}

uint64_t type_size(const Type& type, const Interface& interface)
{
    const uint64_t element = element_size(type, interface);
    return type.shape == Shape::Single ? element : element * type.count;
}

bool is_payload(const Type& type) { return type.shape != Shape::Single; }

uint64_t payload_bytes(const Type& type, const Interface& interface)
{
    return type.shape == Shape::Single ? 0 : element_size(type, interface) * type.count;
}

uint64_t message_words(const Type& type, const Interface& interface, bool buffered)
{
    switch (type.shape) {
    case Shape::Single:
        return 1;
    case Shape::FixedArray:
        return buffered ? 0 : words_of(payload_bytes(type, interface));
    case Shape::Sequence:
    case Shape::String:
        return 1 + (buffered ? 0 : words_of(payload_bytes(type, interface)));
    }
    return 0;
}

} // namespace tessera::sdf
