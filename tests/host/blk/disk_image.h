// Disk images for the partition and virtualiser tests: made by sfdisk (real tables) or by hand
// (GPT with correct checksums that a test then damages).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::services::blk_virt::test {

// sfdisk's script (e.g. "label: gpt\nsize=1MiB, name=a\n") applied to a zeroed image of
// `bytes`; fails the current test if sfdisk fails.
std::vector<uint8_t> sfdisk_image(uint64_t bytes, const std::string& script);

struct GptPartition {
    uint64_t first_lba, last_lba;
    std::string name;
};

// A protective MBR, primary and backup GPT headers and entry arrays (128 entries of 128
// bytes), with correct checksums.
std::vector<uint8_t> gpt_image(uint64_t bytes, const std::vector<GptPartition>& partitions);

// Recomputes the header checksum of the GPT header at `lba` (after a test changed a field).
void reseal_gpt_header(std::vector<uint8_t>& disk, uint64_t lba);

struct MbrPartition {
    uint8_t status, type;
    uint32_t first_lba, sectors;
};
std::vector<uint8_t> mbr_image(uint64_t bytes, const std::vector<MbrPartition>& partitions);

} // namespace tessera::services::blk_virt::test
