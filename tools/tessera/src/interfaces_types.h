// The types of typed interfaces: reading a type as written (`uint32`, `uint8[16]`, `int64[]`,
// `string`, an enum or struct of the interface), the sizes a C compiler gives them, and how many
// message words and buffer bytes they take (docs/interfaces.md, "Types" and "Messages").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces_model.h"

namespace tessera::sdf {

// Where a type is written decides what it may be.
enum class TypeUse : uint8_t {
    Parameter, // no structs
    Result,    // a single integer, bool or enum
    Field,     // structs declared earlier and fixed arrays; no sequences or strings
    Dataport,  // a struct or a fixed array
};

// Reads spelling (with the bound attribute, when written) in interface, where enums are all
// known and structs only up to `structs_known`. nullopt with why set when it is not a type.
std::optional<Type> parse_type(std::string_view spelling, std::optional<uint64_t> bound,
                               const Interface& interface, size_t structs_known, TypeUse use,
                               std::string& why);

// The spelling of one element kind ("uint32", "bool"); enums and structs by their names.
std::string element_spelling(const Type& type, const Interface& interface);
// The canonical spelling of a whole type ("uint8[16]", "string<32>"), for fingerprints.
std::string canonical_spelling(const Type& type, const Interface& interface);

// Bytes and alignment of one element in memory (enums take 4, as C gives them on x86_64).
uint64_t element_size(const Type& type, const Interface& interface);
uint64_t element_alignment(const Type& type, const Interface& interface);

struct StructLayout {
    std::vector<uint64_t> offsets; // per field
    uint64_t size = 0, alignment = 1;
};
// The layout C gives a struct: natural alignment, fields in order, size a multiple of alignment.
// Structs it contains must have their size and alignment set already.
StructLayout struct_layout(const StructType& type, const Interface& interface);

// Bytes of a Single or FixedArray type in memory.
uint64_t type_size(const Type& type, const Interface& interface);

// A payload is what is not a single value: arrays, sequences and strings.
bool is_payload(const Type& type);
// Bytes of a payload at its largest (strings without their NUL).
uint64_t payload_bytes(const Type& type, const Interface& interface);
// Message words a value of this type takes at most. A payload carried in a buffer dataport
// leaves only its length (sequences and strings) in the message.
uint64_t message_words(const Type& type, const Interface& interface, bool buffered);

} // namespace tessera::sdf
