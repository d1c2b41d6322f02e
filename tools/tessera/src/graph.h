// Graphviz DOT drawing of a system: protection domains (children nested under parents), memory
// regions, maps, channels and interrupts.
#pragma once

#include <string>

#include "model.h"

namespace tessera::sdf {

std::string system_to_dot(const System& system);

} // namespace tessera::sdf
