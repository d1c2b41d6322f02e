// The C++ header of one interface (<interface>.hpp): the C header's wire format behind C++
// types (enum classes, references, a Status enum) and a provider dispatch that calls member
// functions of the provider's own class (docs/interfaces.md).
#pragma once

#include <string>

#include "model.h"

namespace tessera::sdf {

std::string cpp_header(const System& system, size_t index, const std::string& source);

} // namespace tessera::sdf
