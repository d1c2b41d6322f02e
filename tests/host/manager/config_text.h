// Helpers for the manager-configuration tests: read and check text, and render the diagnostics
// as "LINE:COLUMN: MESSAGE" lines so a test compares them whole.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <tessera/manager_config/manager_config.h>

namespace tessera::manager_config::test {

struct Outcome {
    std::unique_ptr<Config> config = std::make_unique<Config>();
    std::vector<std::string> errors;
    bool accepted = false;
};

// read_file then, when that succeeded, check with `environment` (nested managers too).
Outcome load_text(const std::string& text, const Environment& environment = {});
// read_file only.
Outcome read_text(const std::string& text);

std::vector<std::string> names(const Name* list, size_t count);

} // namespace tessera::manager_config::test
