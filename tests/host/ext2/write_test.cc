// Writing files: contents across every block-map level, sparse files, files over 4 GiB,
// truncation, and e2fsck's verdict after each.
#include <cstring>

#include <tessera/ext2/layout.h>

#include "volume_fixture.h"

namespace tessera::ext2::test {
namespace {

class Ext2WriteFixture : public Ext2VolumeFixture, public ::testing::WithParamInterface<int> {
protected:
    void SetUp() override { make("-b " + std::to_string(GetParam())); }
    uint32_t block() const { return static_cast<uint32_t>(GetParam()); }
};

TEST_P(Ext2WriteFixture, ContentsAcrossEveryIndirectionLevelReadBack)
{
    uint32_t b = block();
    uint32_t p = b / 4;
    // Past the double-indirect start, so single and double indirect blocks are allocated.
    size_t size = (12 + p + 5) * size_t{b} + 123;
    auto bytes = pattern(size, 7);
    ASSERT_TRUE(m().create("/big"));
    ASSERT_TRUE(m().write_all("/big", bytes));
    EXPECT_EQ(m().read_all("/big"), bytes);
    expect_clean();
    remount();
    EXPECT_EQ(m().read_all("/big"), bytes);
    CommandResult dumped = debugfs(scratch / "image", "dump /big " + (scratch / "dumped").string());
    EXPECT_EQ(read_file(scratch / "dumped"), bytes) << dumped.output;
}

TEST_P(Ext2WriteFixture, UnalignedWritesMergeWithExistingContents)
{
    auto bytes = pattern(5 * block() + 17, 3);
    ASSERT_TRUE(m().create("/f"));
    ASSERT_TRUE(m().write_all("/f", bytes));
    auto patch = pattern(block() + 10, 4);
    ASSERT_TRUE(m().write_all("/f", patch, block() - 5));
    std::copy(patch.begin(), patch.end(), bytes.begin() + block() - 5);
    EXPECT_EQ(m().read_all("/f"), bytes);
    // Reads at odd offsets and lengths.
    auto inode = m().resolve("/f");
    ASSERT_TRUE(inode);
    std::vector<uint8_t> part(3 * block());
    auto got = fs().read(inode.value(), 7, part.data(), part.size());
    ASSERT_TRUE(got);
    ASSERT_EQ(got.value(), part.size());
    EXPECT_TRUE(std::equal(part.begin(), part.end(), bytes.begin() + 7));
    // Past the end: a short read, then nothing.
    got = fs().read(inode.value(), bytes.size() - 3, part.data(), part.size());
    ASSERT_TRUE(got);
    EXPECT_EQ(got.value(), 3u);
    got = fs().read(inode.value(), bytes.size() + 100, part.data(), part.size());
    ASSERT_TRUE(got);
    EXPECT_EQ(got.value(), 0u);
    expect_clean();
}

TEST_P(Ext2WriteFixture, SparseFileAllocatesOnlyWrittenBlocks)
{
    ASSERT_TRUE(m().create("/sparse"));
    uint64_t far = 40ull << 20;
    uint64_t free_before = fs().statistics().free_blocks;
    ASSERT_TRUE(m().write_all("/sparse", bytes_of("end"), far));
    auto inode = m().resolve("/sparse");
    ASSERT_TRUE(inode);
    auto a = fs().stat(inode.value());
    ASSERT_TRUE(a);
    EXPECT_EQ(a.value().size, far + 3);
    // One data block plus at most three indirect blocks.
    uint64_t used = free_before - fs().statistics().free_blocks;
    EXPECT_GE(used, 2u);
    EXPECT_LE(used, 4u);
    EXPECT_EQ(a.value().blocks, used * (block() / 512));
    std::vector<uint8_t> hole(2 * block(), 0xAA);
    auto got = fs().read(inode.value(), far / 2, hole.data(), hole.size());
    ASSERT_TRUE(got);
    EXPECT_EQ(hole, std::vector<uint8_t>(2 * block(), 0));
    expect_clean();
}

TEST_P(Ext2WriteFixture, FileOverFourGibibytesKeepsItsHighSizeWord)
{
    ASSERT_TRUE(m().create("/huge"));
    uint64_t offset = (5ull << 30) + 12345;
    auto tail = pattern(3 * block(), 9);
    ASSERT_TRUE(m().write_all("/huge", tail, offset));
    expect_clean();
    remount();
    auto inode = m().resolve("/huge");
    ASSERT_TRUE(inode);
    auto a = fs().stat(inode.value());
    ASSERT_TRUE(a);
    EXPECT_EQ(a.value().size, offset + tail.size());
    std::vector<uint8_t> back(tail.size());
    auto got = fs().read(inode.value(), offset, back.data(), back.size());
    ASSERT_TRUE(got);
    EXPECT_EQ(back, tail);
    CommandResult stat = debugfs(scratch / "image", "stat /huge");
    EXPECT_NE(stat.output.find("Size: " + std::to_string(offset + tail.size())), std::string::npos)
        << stat.output;
    // large_file stays set (mke2fs sets it; it must be there for such a file).
    const auto* s = reinterpret_cast<const disk::Superblock*>(device->bytes().data() + 1024);
    EXPECT_NE(s->feature_ro_compat & disk::RoCompatLargeFile, 0u);
}

TEST_P(Ext2WriteFixture, TruncateShrinksFreesAndZeroesTheTail)
{
    auto bytes = pattern((12 + block() / 4 + 3) * size_t{block()}, 11);
    ASSERT_TRUE(m().create("/t"));
    uint64_t free_before = fs().statistics().free_blocks;
    ASSERT_TRUE(m().write_all("/t", bytes));
    auto inode = m().resolve("/t");
    ASSERT_TRUE(inode);
    ASSERT_TRUE(fs().truncate(inode.value(), 100));
    EXPECT_EQ(fs().statistics().free_blocks, free_before - 1);
    // Growing again: the old bytes past 100 read as zeros.
    ASSERT_TRUE(fs().truncate(inode.value(), 3 * block()));
    auto back = m().read_all("/t");
    ASSERT_EQ(back.size(), 3u * block());
    EXPECT_TRUE(std::equal(back.begin(), back.begin() + 100, bytes.begin()));
    EXPECT_EQ(std::count(back.begin() + 100, back.end(), 0), static_cast<long>(back.size() - 100));
    expect_clean();
    ASSERT_TRUE(fs().truncate(inode.value(), 0));
    EXPECT_EQ(fs().statistics().free_blocks, free_before);
    EXPECT_TRUE(m().read_all("/t").empty());
    expect_clean();
}

TEST_P(Ext2WriteFixture, WritingPastTheEndLeavesZerosBetween)
{
    ASSERT_TRUE(m().create("/gap"));
    ASSERT_TRUE(m().write_all("/gap", bytes_of("abc")));
    ASSERT_TRUE(m().write_all("/gap", bytes_of("xyz"), 10));
    auto back = m().read_all("/gap");
    EXPECT_EQ(back, bytes_of(std::string("abc") + std::string(7, '\0') + "xyz"));
    expect_clean();
}

TEST_P(Ext2WriteFixture, DirectoriesAndSymlinksAreNotFiles)
{
    auto root = m().resolve("/");
    ASSERT_TRUE(root);
    char byte = 0;
    EXPECT_EQ(fs().read(root.value(), 0, &byte, 1).error(), Errno::IsDir);
    EXPECT_EQ(fs().write(root.value(), 0, &byte, 1).error(), Errno::IsDir);
    EXPECT_EQ(fs().truncate(root.value(), 0).error(), Errno::IsDir);
    ASSERT_TRUE(m().symlink("target", "/l"));
    auto link = m().resolve("/l", PathWalker::Follow::No);
    ASSERT_TRUE(link);
    EXPECT_EQ(fs().read(link.value(), 0, &byte, 1).error(), Errno::Inval);
}

TEST_P(Ext2WriteFixture, StatReportsTimesModesAndOwners)
{
    m().clock.time = {1800000000, 500};
    auto inode = m().create("/owned", 0640);
    ASSERT_TRUE(inode);
    auto a = fs().stat(inode.value());
    ASSERT_TRUE(a);
    EXPECT_EQ(a.value().mode, 0100640);
    EXPECT_EQ(a.value().links, 1);
    EXPECT_EQ(a.value().mtime, (Timestamp{1800000000, 500}));
    EXPECT_EQ(a.value().ctime, (Timestamp{1800000000, 500}));
    AttributeChange change;
    change.mask = AttributeChange::Mode | AttributeChange::Uid | AttributeChange::Gid |
                  AttributeChange::Atime | AttributeChange::Mtime;
    change.mode = 07755; // setuid, setgid, sticky: permission bits only
    change.uid = 70000;  // needs the high 16 bits
    change.gid = 1234;
    change.atime = {1600000000, 1};
    change.mtime = {1650000000, 999999999};
    m().clock.time = {1800000100, 0};
    ASSERT_TRUE(fs().set_attributes(inode.value(), change));
    a = fs().stat(inode.value());
    ASSERT_TRUE(a);
    EXPECT_EQ(a.value().mode, 0107755);
    EXPECT_EQ(a.value().uid, 70000u);
    EXPECT_EQ(a.value().gid, 1234u);
    EXPECT_EQ(a.value().atime, (Timestamp{1600000000, 1}));
    EXPECT_EQ(a.value().mtime, (Timestamp{1650000000, 999999999}));
    EXPECT_EQ(a.value().ctime, (Timestamp{1800000100, 0}));
    expect_clean();
    CommandResult stat = debugfs(scratch / "image", "stat /owned");
    EXPECT_NE(stat.output.find("User: 70000"), std::string::npos) << stat.output;
    EXPECT_NE(stat.output.find("Mode:  07755"), std::string::npos) << stat.output;
}

TEST_P(Ext2WriteFixture, SetattrSizeTruncates)
{
    ASSERT_TRUE(m().create("/s"));
    ASSERT_TRUE(m().write_all("/s", pattern(10000, 1)));
    auto inode = m().resolve("/s");
    AttributeChange change;
    change.mask = AttributeChange::Size;
    change.size = 10;
    ASSERT_TRUE(fs().set_attributes(inode.value(), change));
    EXPECT_EQ(m().read_all("/s").size(), 10u);
    expect_clean();
}

INSTANTIATE_TEST_SUITE_P(BlockSizes, Ext2WriteFixture, ::testing::Values(1024, 2048, 4096));

class Ext2LimitsFixture : public Ext2VolumeFixture {};

TEST_F(Ext2LimitsFixture, RevisionZeroFilesStopAtTwoGibibytes)
{
    make("-r 0 -b 1024");
    ASSERT_TRUE(m().create("/f"));
    auto inode = m().resolve("/f");
    char byte = 1;
    EXPECT_EQ(fs().write(inode.value(), 0x80000000ull, &byte, 1).error(), Errno::FBig);
    EXPECT_EQ(fs().truncate(inode.value(), 0x80000000ull).error(), Errno::FBig);
    auto wrote = fs().write(inode.value(), 0x7FFFFFFEull, "ab", 2);
    ASSERT_TRUE(wrote);
    EXPECT_EQ(wrote.value(), 1u);
    expect_clean();
}

TEST_F(Ext2LimitsFixture, TripleIndirectFileOnOneKibibyteBlocks)
{
    make("-b 1024", 16384);
    ASSERT_TRUE(m().create("/t"));
    uint64_t triple = (12ull + 256 + 256 * 256) * 1024;
    auto bytes = pattern(5000, 2);
    ASSERT_TRUE(m().write_all("/t", bytes, triple + 100));
    expect_clean();
    CommandResult blocks = debugfs(scratch / "image", "blocks /t");
    CommandResult stat = debugfs(scratch / "image", "stat /t");
    EXPECT_NE(stat.output.find("(TIND)"), std::string::npos) << stat.output;
    remount();
    auto inode = m().resolve("/t");
    std::vector<uint8_t> back(bytes.size());
    ASSERT_TRUE(fs().read(inode.value(), triple + 100, back.data(), back.size()));
    EXPECT_EQ(back, bytes);
}

} // namespace
} // namespace tessera::ext2::test
