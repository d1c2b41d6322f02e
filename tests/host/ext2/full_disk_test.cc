// A full volume: ENOSPC, nothing leaked by the failed call, and a volume e2fsck finds clean.
#include "volume_fixture.h"

namespace tessera::ext2::test {
namespace {

class Ext2FullDiskFixture : public Ext2VolumeFixture {
protected:
    // Writes /fill in 64 KiB pieces until the volume refuses; returns the last error.
    Errno fill_volume()
    {
        if (!m().create("/fill"))
            return Errno::Io;
        auto inode = m().resolve("/fill");
        auto chunk = pattern(64 * 1024, 1);
        uint64_t offset = 0;
        for (;;) {
            auto wrote = fs().write(inode.value(), offset, chunk.data(), chunk.size());
            if (!wrote)
                return wrote.error();
            offset += wrote.value();
        }
    }
    // Calls make(i) until it fails; returns how many succeeded and the error.
    template <class Make> std::pair<int, Errno> until_failure(int limit, Make make)
    {
        for (int i = 0; i < limit; ++i) {
            Errno error = make(i);
            if (error != Errno::Ok)
                return {i, error};
        }
        return {limit, Errno::Ok};
    }
};

TEST_F(Ext2FullDiskFixture, WritingUntilFullGivesNoSpaceAndAConsistentVolume)
{
    make("-b 1024 -m 0", 2048);
    ASSERT_TRUE(m().create("/fill"));
    auto inode = m().resolve("/fill");
    auto chunk = pattern(7000, 5);
    uint64_t offset = 0;
    Errno last = Errno::Ok;
    for (int i = 0; i < 1000 && last == Errno::Ok; ++i) {
        auto wrote = fs().write(inode.value(), offset, chunk.data(), chunk.size());
        if (!wrote) {
            last = wrote.error();
            break;
        }
        offset += wrote.value();
        if (wrote.value() < chunk.size())
            last = fs().write(inode.value(), offset, chunk.data(), chunk.size()).error();
    }
    EXPECT_EQ(last, Errno::NoSpc);
    EXPECT_EQ(fs().statistics().free_blocks, 0u);
    auto a = fs().stat(inode.value());
    EXPECT_EQ(a.value().size, offset);
    // What was written reads back.
    std::vector<uint8_t> back(chunk.size());
    ASSERT_TRUE(fs().read(inode.value(), 0, back.data(), back.size()));
    EXPECT_EQ(back, chunk);
    // Other calls needing a block fail cleanly too.
    uint64_t free_inodes = fs().statistics().free_inodes;
    EXPECT_EQ(m().mkdir("/d").error(), Errno::NoSpc);
    EXPECT_EQ(m().symlink(std::string(100, 'x'), "/slow").error(), Errno::NoSpc);
    EXPECT_EQ(fs().statistics().free_inodes, free_inodes);
    expect_clean();
    ASSERT_TRUE(m().unlink("/fill"));
    EXPECT_GT(fs().statistics().free_blocks, 1500u);
    expect_clean();
}

TEST_F(Ext2FullDiskFixture, ReservedBlocksStayFreeForClients)
{
    make("-b 1024 -m 10", 2048);
    EXPECT_EQ(fill_volume(), Errno::NoSpc);
    VolumeStatistics v = fs().statistics();
    EXPECT_EQ(v.available_blocks, 0u);
    EXPECT_GT(v.free_blocks, 150u); // the 10 % reserve
    expect_clean();
}

TEST_F(Ext2FullDiskFixture, RunningOutOfInodesGivesNoSpace)
{
    make("-b 1024 -N 32", 2048);
    auto [made, last] = until_failure(100, [&](int i) {
        auto created = m().create("/f" + std::to_string(i));
        return created ? Errno::Ok : created.error();
    });
    EXPECT_EQ(last, Errno::NoSpc);
    EXPECT_GT(made, 10);
    EXPECT_EQ(fs().statistics().free_inodes, 0u);
    expect_clean();
    ASSERT_TRUE(m().unlink("/f0"));
    EXPECT_TRUE(m().create("/again"));
    expect_clean();
}

TEST_F(Ext2FullDiskFixture, DirectoryThatCannotGrowKeepsItsEntries)
{
    make("-b 1024 -m 0", 2048);
    ASSERT_TRUE(m().mkdir("/d"));
    EXPECT_EQ(fill_volume(), Errno::NoSpc);
    // Fill /d's only block with names, then one more needs a block that is not there.
    auto [made, last] = until_failure(200, [&](int i) {
        auto created = m().create("/d/" + std::string(60, 'a' + i % 26) + std::to_string(i));
        return created ? Errno::Ok : created.error();
    });
    EXPECT_EQ(last, Errno::NoSpc);
    EXPECT_GT(made, 5);
    EXPECT_EQ(m().list("/d").size(), static_cast<size_t>(made) + 2);
    expect_clean();
}

} // namespace
} // namespace tessera::ext2::test
