// Whole-system checks that need more than one element: names, references, ids, address ranges,
// overlaps, interrupts and the direction of protected procedure calls.
#pragma once

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

// Reports every cross-element problem of system into diagnostics.
void check_system(const System& system, Diagnostics& diagnostics);

// parse_system_file + check_system: the whole of `tessera check`.
System load_and_check(const std::string& path, Diagnostics& diagnostics);

} // namespace tessera::sdf
