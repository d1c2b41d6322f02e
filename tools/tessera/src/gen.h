// `tessera gen`: the headers of a description's interfaces, <interface>.h for C and
// <interface>.hpp for C++ (docs/interfaces.md). Exposed as functions so that every front end
// (the tessera command, the SDK's microkit command) generates the same files.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model.h"

namespace tessera::sdf {

struct GeneratedFile {
    std::string name; // file name, no directory
    std::string text;
};

// The headers of every interface of a checked system, two per interface; `source` (the
// description's file name) appears in their comments.
std::vector<GeneratedFile> generate_interface_headers(const System& system, const std::string& source);

// Loads and checks system_file, then writes its headers into directory (made if missing). A file
// whose text is unchanged is not rewritten, so builds depending on it do no work. Prints one
// line per interface to `messages`; returns 0, or 1 with the errors (FILE:LINE:COLUMN: error:
// ...) printed to `errors`.
int generate_interfaces(const std::string& system_file, const std::string& directory,
                        std::ostream& messages, std::ostream& errors);

} // namespace tessera::sdf
