// `tessera build`'s check that each program was compiled from the current generation of the
// headers of the interfaces its protection domain uses or provides (docs/interfaces.md,
// "Generations").
#pragma once

#include "diagnostics.h"
#include "elf.h"
#include "model.h"

namespace tessera::sdf {

// Reports, at the protection domain's program_image, an interface whose generation marker
// (tessera_generation_<interface>_<hex>) is missing from program, or is another generation's.
void check_program_generations(const System& system, size_t pd, const ElfImage& program,
                               Diagnostics& diagnostics);

} // namespace tessera::sdf
