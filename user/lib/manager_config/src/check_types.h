// The type checks of routes (check_types.cc): part of check(), kept apart because they also need
// what the system outside the configuration declares (its interfaces, its channels' types).
#pragma once

#include <tessera/manager_config/manager_config.h>

namespace tessera::manager_config {

void check_types(const Config& config, const Environment& environment, Diagnostics& diagnostics);

} // namespace tessera::manager_config
