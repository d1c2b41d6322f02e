// Packs a large boot image for the loader (tessera/spec.h, "packed image"): LZ4's block format,
// written here, unpacked by the loader with the shared tessera/lz4_block.h.
#pragma once

#include <cstdint>
#include <vector>

namespace tessera::sdf {

// Images up to this size are stored as they are: the loader reads them in place.
inline constexpr uint64_t PackAboveBytes = uint64_t{1} << 20;

// The LZ4 block for `data` (greedy matching over a 64 KiB window, the format's rules for the end
// of a block kept, so any LZ4 block decoder reads it).
std::vector<uint8_t> lz4_block_pack(const std::vector<uint8_t>& data);

// The image as the loader's segment holds it: unchanged up to PackAboveBytes, else a
// tessera_packed_header and the LZ4 block.
std::vector<uint8_t> pack_for_loader(const std::vector<uint8_t>& image);

} // namespace tessera::sdf
