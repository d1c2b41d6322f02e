// What the commands print and write the same way: every diagnostic with its count, and a text
// written to a file or, when none is named, to standard output.
#pragma once

#include <string>

#include "diagnostics.h"

namespace tessera::sdf::cli {

// Prints every diagnostic and their count on standard error; returns the exit status 1.
int report(const Diagnostics& diagnostics);
// Writes `text` to `path`; false when the file cannot be written.
bool write_file(const std::string& path, const std::string& text);
// Writes `text` to `output`, or to standard output when `output` is empty; the exit status
// (1 with a message when the file cannot be written).
int write_output(const std::string& output, const std::string& text);

} // namespace tessera::sdf::cli
