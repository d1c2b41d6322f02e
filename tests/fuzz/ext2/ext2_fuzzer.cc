// libFuzzer target: the input is a volume image (the seeds are small mke2fs images); every
// mutation is mounted, walked, read and, when it mounts writable, changed and synced.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include "exercise_volume.h"

namespace {
// Inputs shrink as libFuzzer mutates them; the device is the size the superblock claims (zeros
// past the input, at most 4 MiB), so a shortened image still mounts and its metadata is fuzzed.
size_t device_size(const uint8_t* data, size_t size)
{
    if (size < 2048)
        return size;
    uint32_t blocks = 0;
    uint32_t log_block_size = 0;
    memcpy(&blocks, data + 1024 + 4, 4);
    memcpy(&log_block_size, data + 1024 + 24, 4);
    if (log_block_size > 2)
        return size;
    uint64_t claimed = uint64_t{blocks} << (10 + log_block_size);
    return static_cast<size_t>(std::clamp<uint64_t>(claimed, size, std::max<size_t>(size, 4u << 20)));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::vector<uint8_t> image(device_size(data, size), 0);
    if (size > 0)
        memcpy(image.data(), data, size);
    tessera::ext2::fuzz::exercise_volume(image.data(), image.size());
    return 0;
}
