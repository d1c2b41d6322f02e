// Names in interface elements become C and C++ identifiers in the generated headers: the check
// that an attribute holds one, shared by the readers of interfaces and of ports.
#pragma once

#include <optional>
#include <string>

#include "xml_element.h"

namespace tessera::sdf {

// The required attribute as an identifier (a letter, then letters, digits and underscores, not a
// C or C++ keyword); nullopt, with the problem reported, otherwise.
std::optional<std::string> identifier(Element& e, const char* attribute = "name");

} // namespace tessera::sdf
