// `tessera check`'s second half: when the program images can be found, the system is built as
// `tessera build --loader` would, and the numbers of how it fits the machine are printed (memory
// against what the launcher gives, ASIDs, the loader's capabilities and pages); what does not
// fit is an error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

struct FitRequest {
    std::vector<std::string> search_paths;
    std::string loader;        // the loader ELF the system would be embedded in
    uint64_t guest_memory = 0; // bytes
};

// Prints the report to `out` and collects build errors and misfits in `diagnostics`; the caller
// reports those. Nothing is printed but a note when the programs or the loader are missing.
void check_machine_fit(const System& system, const FitRequest& request, Diagnostics& diagnostics,
                       std::ostream& out);

} // namespace tessera::sdf
