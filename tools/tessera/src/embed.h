// Puts a boot image inside the boot-time loader, so that one ELF file (the root task the kernel
// boots) carries the loader, the spec and every program.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::sdf {

// The loader ELF with `image` (packed when large, pack.h) as the contents of its image segment and
// the stored size patched in. nullopt with why set when `loader` is not an ELF64 x86_64 executable or not a Tessera
// loader (it lacks the image symbols), or when the image cannot be placed.
std::optional<std::vector<uint8_t>> embed_in_loader(std::vector<uint8_t> loader,
                                                    const std::vector<uint8_t>& image,
                                                    std::string& why);

} // namespace tessera::sdf
