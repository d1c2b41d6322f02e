// The C header of one interface (<interface>.h): constants, types, client stubs, the provider's
// decoders, encoders and dispatchers (docs/interfaces.md). gen_c_marshal.cc writes the code that
// moves one parameter into or out of a message.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gen_writer.h"
#include "model.h"

namespace tessera::sdf {

// The guarded block of status codes and helpers every generated C header carries.
const char* c_common_block();

// The whole of <interface>.h for interface `index`; `source` names the description in comments.
std::string c_header(const System& system, size_t index, const std::string& source);

// How a side of a call reaches a parameter in generated code.
enum class Holder : uint8_t {
    Arguments, // the provider's argument struct: args->name
    Caller,    // the client stub's own parameters: name, *name, name_length, *name_length
};

// Which words a marshalling routine moves.
enum class Leg : uint8_t {
    Request, // in and inout parameters
    Reply,   // out and inout parameters, then the result
};

struct MarshalContext {
    const Interface& interface;
    const Method& method;
    Leg leg;
    Holder holder;
    std::string fail;   // the statement that ends the routine on bad input ("return ...;")
    std::string buffer; // the buffer dataport's base as an unsigned char pointer expression
};

// Writes code that puts the leg's parameters into the message (and buffer), checking every value
// against its type first; returns the expression of the words written (a constant or `at`).
std::string write_encode(CodeWriter& out, const MarshalContext& context);

// Writes code that checks the received message of `count` words (a variable in scope) and moves
// the leg's parameters out of it, reading no word at or past `count`.
void write_decode(CodeWriter& out, const MarshalContext& context);

// The C type of one element ("int32_t", "enum kv_kind", "struct kv_ring").
std::string c_element_type(const Type& type, const Interface& interface);

// Whether a parameter travels on a leg.
bool travels(const Parameter& parameter, Leg leg);

enum class Language : uint8_t { C, Cpp };

// A method's parameter list, starting with the channel (and the buffer of a buffered method): in
// C by value in and by pointer out, arrays as arrays; in C++ with references and enum classes.
// Sequences add their length after the elements, strings out are bound + 1 chars.
std::vector<std::string> parameter_declarations(const Method& method, const Interface& interface,
                                                Language language);

// Whether marshalling a leg declares variables (a position `at`, NAME_count): it has sequences
// or strings.
bool declares_variables(const Method& method, Leg leg);

// Whether a dispatcher keeps a method's arguments in static storage: too large for a stack.
bool arguments_are_static(const Method& method, const Interface& interface);

// The method's parameters, then its result when it has one.
std::vector<const Parameter*> all_parameters(const Method& method);

} // namespace tessera::sdf
