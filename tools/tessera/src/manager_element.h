// The <manager> elements of a system description: read and checked by the portable library the
// manager itself uses (user/lib/manager_config), with the description's own file positions.
#pragma once

#include <string_view>

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

// Reads every <manager> recorded by the parser from `text`, checks it, and checks it against the
// system: its pd exists, runs one manager only, and owns the channels its routes name.
// A manager's PD gets a CNode with room for the manager's slots and the element records what
// `tessera build` packs for it.
void check_manager_elements(std::string_view text, System& system, Diagnostics& diagnostics);

} // namespace tessera::sdf
