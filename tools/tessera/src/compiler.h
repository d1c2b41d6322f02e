// Compiles a checked system and its program images into a spec and packs the boot image.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "model.h"
#include "spec_writer.h"

namespace tessera::sdf {

struct BuildOptions {
    std::vector<std::string> search_paths; // directories searched for program_image paths
};

struct BuildResult {
    SpecBuilder spec;
    std::vector<ImageBlob> blobs; // the spec first, then one ELF per protection domain
    std::vector<uint8_t> image;
};

// Reads every program image (checking it), reports build-time errors (missing or non-ELF
// programs, maps overlapping the program, unresolvable setvars, unsupported features) and, when
// there are none, returns the spec and the packed image.
std::optional<BuildResult> build_system(const System& system, const BuildOptions& options,
                                        Diagnostics& diagnostics);

} // namespace tessera::sdf
