// Shared helpers for the tool's tests: file reading and building the example systems.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler.h"

namespace tessera::sdf::test {

std::string read_text(const std::string& path);
// Parses, checks and builds systems/NAME.system against the test programs; fails the calling
// test (through ADD_FAILURE) and returns nullopt on any error.
std::optional<BuildResult> build_example(const std::string& name);
// A description the tool writes (`tessera vm`, `tessera linux --disk`), written as `file_name`
// into a scratch directory beside `extra_files` (name, contents: the prefill files it names) and
// loaded with the description's own checks; a diagnostic fails the calling test.
System checked_text(const std::string& file_name, const std::string& text,
                    const std::vector<std::pair<std::string, std::string>>& extra_files = {});
// The protection domain called `name`, or null.
const ProtectionDomain* find_pd(const System& system, const std::string& name);
// `size` bytes from a generator seeded with `seed`: the same bytes on every run.
std::vector<uint8_t> random_bytes(size_t size, uint32_t seed);

} // namespace tessera::sdf::test
