// Whole-system checks that need more than one element: names, references, ids, address ranges,
// overlaps, interrupts and the direction of protected procedure calls.
#pragma once

#include "diagnostics.h"
#include "model.h"

#include <string>
#include <vector>

namespace tessera::sdf {

// Reports every cross-element problem of system into diagnostics.
void check_system(const System& system, Diagnostics& diagnostics);

// parse_system_file, load_prefills and check_system: the description's own checks. Prefill
// files are looked up in `directories`, then beside the description.
System load_and_check(const std::string& path, Diagnostics& diagnostics,
                      const std::vector<std::string>& directories = {});

} // namespace tessera::sdf
