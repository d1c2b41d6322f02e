// Partition tables: what sfdisk writes, and corrupted or hostile tables built by hand. A table
// that lies must never give a client sectors outside the disk or another client's sectors.
#include "disk_image.h"
#include "partition_table.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

namespace tessera::services::blk_virt {
namespace {

using test::gpt_image;
using test::GptPartition;
using test::mbr_image;
using test::MbrPartition;
using test::sfdisk_image;

constexpr uint64_t MiB = 1 << 20;

// Runs the reader over an image the way the virtualiser does, block reads and all.
std::unique_ptr<PartitionReader> read(const std::vector<uint8_t>& disk, unsigned* reads = nullptr)
{
    auto reader = std::make_unique<PartitionReader>();
    auto need = reader->start(disk.size() / 4096);
    unsigned steps = 0;
    while (!need.done) {
        EXPECT_LT(++steps, 8u) << "the reader keeps asking";
        if (steps >= 8)
            break;
        EXPECT_LE((need.first_block + need.blocks) * 4096, disk.size());
        need = reader->feed(disk.data() + need.first_block * 4096, need.first_block, need.blocks);
    }
    if (reads != nullptr)
        *reads = steps;
    return reader;
}

const Partition* find(const PartitionReader& reader, const char* selector, const char** why = nullptr)
{
    static Partition whole;
    return reader.find(selector, whole, why);
}

TEST(MbrTable, SfdiskPrimaryPartitionsAreFoundAligned)
{
    auto disk = sfdisk_image(64 * MiB, "label: dos\nsize=16MiB, type=83\nsize=8MiB, type=83\n");
    auto reader = read(disk);
    const PartitionTable& table = reader->table();
    EXPECT_EQ(table.scheme, Scheme::Mbr);
    ASSERT_EQ(table.count, 2u);
    EXPECT_EQ(table.partitions[0].number, 1u);
    EXPECT_EQ(table.partitions[0].first_sector, 2048u);
    EXPECT_EQ(table.partitions[0].sectors, 16 * MiB / 512);
    EXPECT_EQ(table.partitions[1].first_block(), (2048 + 16 * MiB / 512) / 8);
    EXPECT_EQ(table.partitions[1].unusable, nullptr);
    ASSERT_NE(find(*reader, "mbr:2"), nullptr);
    ASSERT_NE(find(*reader, "2"), nullptr);
    EXPECT_EQ(find(*reader, "mbr:3"), nullptr);
    EXPECT_EQ(find(*reader, "gpt:x"), nullptr);
}

TEST(GptTable, SfdiskNamedPartitionsAreFoundByName)
{
    auto disk = sfdisk_image(64 * MiB, "label: gpt\nsize=16MiB, name=alpha\nsize=8MiB, name=beta\n");
    unsigned reads = 0;
    auto reader = read(disk, &reads);
    const PartitionTable& table = reader->table();
    EXPECT_EQ(table.scheme, Scheme::Gpt);
    EXPECT_FALSE(table.used_backup);
    EXPECT_EQ(reads, 2u); // block 0, then the entry array
    ASSERT_EQ(table.count, 2u);
    EXPECT_STREQ(table.partitions[0].name, "alpha");
    EXPECT_STREQ(table.partitions[1].name, "beta");
    const Partition* beta = find(*reader, "gpt:beta");
    ASSERT_NE(beta, nullptr);
    EXPECT_EQ(beta->first_sector, 2048u + 16 * MiB / 512);
    EXPECT_EQ(beta->sectors, 8 * MiB / 512);
    EXPECT_EQ(find(*reader, "gpt#2"), beta);
    EXPECT_EQ(find(*reader, "gpt:gamma"), nullptr);
    EXPECT_EQ(find(*reader, "mbr:1"), nullptr); // a GPT disk has no MBR partitions to give
}

TEST(GptTable, CorruptPrimaryHeaderFallsBackToTheBackup)
{
    auto disk = gpt_image(16 * MiB, {{2048, 4095, "one"}, {4096, 8191, "two"}});
    disk[512 + 40] ^= 0x01; // first usable LBA: the header checksum no longer matches
    auto reader = read(disk);
    EXPECT_EQ(reader->table().scheme, Scheme::Gpt);
    EXPECT_TRUE(reader->table().used_backup);
    ASSERT_NE(find(*reader, "gpt:two"), nullptr);
}

TEST(GptTable, CorruptPrimaryEntriesFallBackToTheBackup)
{
    auto disk = gpt_image(16 * MiB, {{2048, 4095, "one"}});
    disk[2 * 512 + 32] ^= 0x08; // the first entry's first LBA
    auto reader = read(disk);
    EXPECT_TRUE(reader->table().used_backup);
    const Partition* one = find(*reader, "gpt:one");
    ASSERT_NE(one, nullptr);
    EXPECT_EQ(one->first_sector, 2048u);
}

TEST(GptTable, BothCopiesCorruptMeansNoTable)
{
    auto disk = gpt_image(16 * MiB, {{2048, 4095, "one"}});
    disk[512 + 24] ^= 1;
    disk[disk.size() - 512 + 24] ^= 1;
    auto reader = read(disk);
    EXPECT_EQ(reader->table().scheme, Scheme::None);
    EXPECT_NE(reader->table().problem, nullptr);
    const char* why = nullptr;
    EXPECT_EQ(find(*reader, "gpt:one", &why), nullptr);
    EXPECT_NE(why, nullptr);
    EXPECT_NE(find(*reader, "disk"), nullptr); // the whole disk is still a disk
}

TEST(GptTable, HeaderThatLiesAboutTheEntryArrayIsRefused)
{
    // Each lie resealed with a valid checksum: only the checks on the values stand in the way.
    struct Lie {
        uint32_t offset;
        uint64_t value;
        unsigned bytes;
    };
    for (const Lie& lie : {Lie{80, 100000, 4},            // 12.8 MB of entries
                           Lie{84, 64, 4},                // entries smaller than 128 bytes
                           Lie{72, ~uint64_t(0) - 1, 8},  // entry array at the end of time
                           Lie{72, 40, 8},                // entry array inside the usable area
                           Lie{48, ~uint64_t(0) >> 4, 8}, // usable area past the disk
                           Lie{24, 7, 8}}) {              // names another sector as its own
        auto disk = gpt_image(16 * MiB, {{2048, 4095, "one"}});
        for (uint64_t lba : {uint64_t(1), disk.size() / 512 - 1}) {
            std::memcpy(disk.data() + lba * 512 + lie.offset, &lie.value, lie.bytes);
            test::reseal_gpt_header(disk, lba);
        }
        auto reader = read(disk);
        EXPECT_EQ(reader->table().scheme, Scheme::None) << "lie at offset " << lie.offset;
    }
}

TEST(GptTable, EntriesOutsideTheUsableAreaOrBackwardsAreUnusable)
{
    const uint64_t sectors = 16 * MiB / 512;
    auto disk = gpt_image(16 * MiB, {{2048, 4095, "good"},
                                     {8, 1023, "header"},            // before first usable
                                     {sectors - 40, sectors - 1, "tail"}, // over the backup
                                     {9000, 8999, "backwards"},
                                     {4096, 8191, "four"},
                                     {6144, 10239, "overlap"},
                                     {10241, 12287, "odd"}});
    auto reader = read(disk);
    ASSERT_EQ(reader->table().count, 7u);
    EXPECT_NE(find(*reader, "gpt:good"), nullptr);
    for (const char* bad : {"gpt:header", "gpt:tail", "gpt:backwards", "gpt:four", "gpt:overlap", "gpt:odd"}) {
        const char* why = nullptr;
        EXPECT_EQ(find(*reader, bad, &why), nullptr) << bad;
        EXPECT_NE(why, nullptr) << bad;
    }
}

TEST(GptTable, DuplicateNamesAreAmbiguous)
{
    auto disk = gpt_image(16 * MiB, {{2048, 4095, "same"}, {4096, 6143, "same"}});
    auto reader = read(disk);
    const char* why = nullptr;
    EXPECT_EQ(find(*reader, "gpt:same", &why), nullptr);
    EXPECT_STREQ(why, "two GPT partitions have that name");
    EXPECT_NE(find(*reader, "gpt#2"), nullptr);
}

TEST(MbrTable, HostileEntriesAreListedButUnusable)
{
    const uint32_t sectors = 16 * MiB / 512;
    auto disk = mbr_image(16 * MiB, {{0x80, 0x83, 2048, 2048},       // fine
                                     {0x00, 0x83, sectors - 8, 64},  // runs off the disk
                                     {0x00, 0x83, 3072, 2048},       // overlaps the first
                                     {0x00, 0x05, 8192, 2048}});     // extended
    auto reader = read(disk);
    ASSERT_EQ(reader->table().count, 4u);
    // The first overlaps the third: neither is given to anyone.
    EXPECT_EQ(find(*reader, "mbr:1"), nullptr);
    EXPECT_EQ(find(*reader, "mbr:2"), nullptr);
    EXPECT_EQ(find(*reader, "mbr:3"), nullptr);
    const char* why = nullptr;
    EXPECT_EQ(find(*reader, "mbr:4", &why), nullptr);
    EXPECT_NE(std::strstr(why, "extended"), nullptr);
}

TEST(MbrTable, MisalignedAndTinyPartitionsAreUnusable)
{
    auto disk = mbr_image(16 * MiB, {{0, 0x83, 63, 4096}, {0, 0x83, 8192, 4}, {0, 0x83, 0, 100}});
    auto reader = read(disk);
    EXPECT_EQ(find(*reader, "mbr:1"), nullptr);
    EXPECT_EQ(find(*reader, "mbr:2"), nullptr);
    EXPECT_EQ(find(*reader, "mbr:3"), nullptr);
}

TEST(MbrTable, NoSignatureOrBadBootFlagsMeanNoTable)
{
    auto unsigned_disk = mbr_image(4 * MiB, {{0, 0x83, 2048, 2048}});
    unsigned_disk[511] = 0;
    EXPECT_EQ(read(unsigned_disk)->table().scheme, Scheme::None);
    auto flags = mbr_image(4 * MiB, {{0x42, 0x83, 2048, 2048}});
    EXPECT_EQ(read(flags)->table().scheme, Scheme::None);
}

TEST(PartitionSelector, WholeDiskAndBadSelectors)
{
    auto disk = mbr_image(4 * MiB, {{0, 0x83, 2048, 2048}});
    auto reader = read(disk);
    const Partition* whole = find(*reader, "disk");
    ASSERT_NE(whole, nullptr);
    EXPECT_EQ(whole->first_sector, 0u);
    EXPECT_EQ(whole->sectors, 4 * MiB / 512);
    for (const char* bad : {"", "mbr:", "mbr:x", "partition1", "gpt"})
        EXPECT_EQ(find(*reader, bad), nullptr) << bad;
}

TEST(PartitionReader, EmptyDiskAndFailedReads)
{
    PartitionReader reader;
    EXPECT_TRUE(reader.start(0).done);
    EXPECT_NE(reader.table().problem, nullptr);
    EXPECT_FALSE(reader.start(100).done);
    reader.read_failed();
    EXPECT_EQ(reader.table().scheme, Scheme::None);
}

} // namespace
} // namespace tessera::services::blk_virt
