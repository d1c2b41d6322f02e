// Disk image builders.
#include "disk_image.h"

#include <tessera/spec_reader.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <unistd.h>

namespace tessera::services::blk_virt::test {
namespace {

void put32(std::vector<uint8_t>& d, uint64_t at, uint32_t v) { std::memcpy(d.data() + at, &v, 4); }
void put64(std::vector<uint8_t>& d, uint64_t at, uint64_t v) { std::memcpy(d.data() + at, &v, 8); }

} // namespace

std::vector<uint8_t> sfdisk_image(uint64_t bytes, const std::string& script)
{
    char path[] = "/tmp/tessera-blk-test-XXXXXX";
    const int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(ftruncate(fd, off_t(bytes)), 0);
    close(fd);
    const std::string command = std::string("printf '%s' '") + script + "' | " + TESSERA_SFDISK +
                                " -q " + path + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> image((std::istreambuf_iterator<char>(in)), {});
    std::remove(path);
    EXPECT_EQ(image.size(), bytes);
    return image;
}

void reseal_gpt_header(std::vector<uint8_t>& disk, uint64_t lba)
{
    const uint64_t at = lba * 512;
    put32(disk, at + 16, 0);
    put32(disk, at + 16, spec::crc32(disk.data() + at, 92, 16));
}

std::vector<uint8_t> gpt_image(uint64_t bytes, const std::vector<GptPartition>& partitions)
{
    std::vector<uint8_t> disk(bytes, 0);
    const uint64_t sectors = bytes / 512;
    // Protective MBR: one partition of type 0xEE over the whole disk.
    disk[446 + 4] = 0xee;
    put32(disk, 446 + 8, 1);
    put32(disk, 446 + 12, uint32_t(sectors - 1 > 0xffffffffu ? 0xffffffffu : sectors - 1));
    disk[510] = 0x55;
    disk[511] = 0xaa;
    // The entry array (128 x 128 bytes = 32 sectors) at LBA 2 and before the backup header.
    std::vector<uint8_t> array(128 * 128, 0);
    for (size_t i = 0; i < partitions.size(); ++i) {
        uint8_t* entry = array.data() + 128 * i;
        entry[0] = 0xaf; entry[1] = 0x3d; entry[15] = 0xe4; // a Linux data type GUID's bytes
        entry[16] = uint8_t(i + 1);
        std::memcpy(entry + 32, &partitions[i].first_lba, 8);
        std::memcpy(entry + 40, &partitions[i].last_lba, 8);
        for (size_t c = 0; c < partitions[i].name.size() && c < 36; ++c)
            entry[56 + 2 * c] = uint8_t(partitions[i].name[c]);
    }
    const uint32_t array_crc = spec::crc32(array.data(), array.size(), ~uint64_t(0));
    const uint64_t backup_array = sectors - 33;
    std::memcpy(disk.data() + 2 * 512, array.data(), array.size());
    std::memcpy(disk.data() + backup_array * 512, array.data(), array.size());
    for (const uint64_t lba : {uint64_t(1), sectors - 1}) {
        const uint64_t at = lba * 512;
        std::memcpy(disk.data() + at, "EFI PART", 8);
        put32(disk, at + 8, 0x00010000);
        put32(disk, at + 12, 92);
        put64(disk, at + 24, lba);
        put64(disk, at + 32, lba == 1 ? sectors - 1 : 1);
        put64(disk, at + 40, 34);
        put64(disk, at + 48, sectors - 34);
        put64(disk, at + 72, lba == 1 ? 2 : backup_array);
        put32(disk, at + 80, 128);
        put32(disk, at + 84, 128);
        put32(disk, at + 88, array_crc);
        reseal_gpt_header(disk, lba);
    }
    return disk;
}

std::vector<uint8_t> mbr_image(uint64_t bytes, const std::vector<MbrPartition>& partitions)
{
    std::vector<uint8_t> disk(bytes, 0);
    for (size_t i = 0; i < partitions.size() && i < 4; ++i) {
        uint8_t* entry = disk.data() + 446 + 16 * i;
        entry[0] = partitions[i].status;
        entry[4] = partitions[i].type;
        std::memcpy(entry + 8, &partitions[i].first_lba, 4);
        std::memcpy(entry + 12, &partitions[i].sectors, 4);
    }
    disk[510] = 0x55;
    disk[511] = 0xaa;
    return disk;
}

} // namespace tessera::services::blk_virt::test
