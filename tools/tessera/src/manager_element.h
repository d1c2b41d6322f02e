// The <manager> elements of a system description: read and checked by the portable library the
// manager itself uses (user/lib/manager_config), with the description's own file positions.
#pragma once

#include <string_view>

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

// Reads every <manager> recorded by the parser from `text`, checks it, and checks it against the
// system: its pd exists, runs one manager only, and owns the channels its routes name.
void check_manager_elements(std::string_view text, const System& system, Diagnostics& diagnostics);

} // namespace tessera::sdf
