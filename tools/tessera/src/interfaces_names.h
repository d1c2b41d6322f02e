// The identifiers the generated headers define, in one place: the generators spell every name
// through here, and the checker refuses a description whose names would collide.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model.h"

namespace tessera::sdf {

std::string upper_case(std::string_view text);
std::string lower_case(std::string_view text);
// A protection-domain name as part of an identifier: anything but letters and digits becomes _.
std::string identifier_part(std::string_view text);
// snake_case to PascalCase, for C++ type names ("not_found" -> "NotFound").
std::string pascal_case(std::string_view text);

// KV_PART and kv_part: an interface's macros and functions.
std::string interface_macro(const Interface& interface, std::string_view part);
std::string interface_function(const Interface& interface, std::string_view part);

class InterfaceNames {
public:
    InterfaceNames(const System& system, const Interface& interface)
        : system_(system), interface_(interface)
    {
    }

    std::string macro(std::string_view part) const { return interface_macro(interface_, part); }
    std::string function(std::string_view part) const { return interface_function(interface_, part); }
    // The name of a port in identifiers: its protection domain's, then the port's own when it
    // is not the interface's name ("client1", "client1_store").
    std::string port_stem(const Port& port) const;

    const Interface& interface() const { return interface_; }
    const System& system() const { return system_; }

private:
    const System& system_;
    const Interface& interface_;
};

struct GeneratedName {
    std::string identifier; // struct and enum tags start with "tag " (C's own name space)
    std::string language; // "C" or "C++": each header is one namespace of names
    Location where;       // the element the name comes from
};

// Every identifier the headers of interface `index` define, with where it comes from.
std::vector<GeneratedName> generated_names(const System& system, size_t index);

} // namespace tessera::sdf
