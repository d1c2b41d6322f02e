// Checks the interface elements against the whole system (ports name interfaces and methods
// that exist, connections join a use to a provision of the same interface, every use is
// connected) and lowers each sound connection into plain Microkit: channels, memory regions and
// maps appended to the system, so the checker and compiler that follow see Microkit only.
#pragma once

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

// Runs after the parser has read the whole description. Errors carry file:line:column; a
// connection with errors is not lowered.
void resolve_interfaces(System& system, Diagnostics& diagnostics);

// What a lowered channel stands for, for drawings: "kv calls" or "kv event changed"; empty for a
// channel the description wrote itself.
std::string lowered_channel_purpose(const System& system, const Channel& channel);

} // namespace tessera::sdf
