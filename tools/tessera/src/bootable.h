// From a description to the file the kernel boots: load and check the description, build the
// image from its programs, and put it inside the loader. Shared by `tessera build`, `tessera
// run` and the Microkit front end (`microkit`).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "compiler.h"
#include "model.h"

namespace tessera::sdf {

struct Bootable {
    System system;
    BuildResult build;
    std::vector<uint8_t> bytes; // the loader with the image inside, or the bare image
};

// Builds `system_path` with programs (and prefill files) from `directories`. With an empty
// `loader` the bytes are the bare boot image. With a loader and `guest_memory`, a system a
// machine of that much memory cannot hold is refused here rather than by the loader at boot
// (machine_fit.h). On any error prints it to `errors` (every description error as
// FILE:LINE:COLUMN, then a count) and returns nullopt.
std::optional<Bootable> make_bootable(const std::string& system_path,
                                      const std::vector<std::string>& directories,
                                      const std::string& loader, std::ostream& errors,
                                      std::optional<uint64_t> guest_memory = std::nullopt);

// Writes bytes to path; false (with the reason printed to errors) when it cannot.
bool write_bytes(const std::string& path, const std::vector<uint8_t>& bytes, std::ostream& errors);

} // namespace tessera::sdf
