// Reads a .system file into the model, reporting every element- and attribute-level problem
// (unknown or missing names, malformed values, values out of range) with its location.
#pragma once

#include <string>
#include <string_view>

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

// Parses text (the contents of file). Errors go to diagnostics; the returned model holds
// everything that could be read, so later checks can still run and report more.
System parse_system(std::string_view text, Diagnostics& diagnostics);

// Reads the file at path and parses it; a file that cannot be read is reported at 0:0.
System parse_system_file(const std::string& path, Diagnostics& diagnostics);

} // namespace tessera::sdf
