// Shared helpers for the tool's tests: file reading and building the example systems.
#pragma once

#include <string>

#include "compiler.h"

namespace tessera::sdf::test {

std::string read_text(const std::string& path);
// Parses, checks and builds systems/NAME.system against the test programs; fails the calling
// test (through ADD_FAILURE) and returns nullopt on any error.
std::optional<BuildResult> build_example(const std::string& name);

} // namespace tessera::sdf::test
