// Mounting: which volumes mount read-write, which read-only and which not at all, and why.
#include <gtest/gtest.h>

#include <cstring>

#include <tessera/ext2/layout.h>

#include "image_tools.h"

namespace tessera::ext2::test {
namespace {

disk::Superblock& superblock_of(MemoryDevice& device)
{
    return *reinterpret_cast<disk::Superblock*>(device.bytes().data() + disk::SuperblockOffset);
}

class Ext2MountFixture : public ::testing::Test {
protected:
    MemoryDevice image(const std::string& options, uint64_t size_kib = 8192)
    {
        make_image(scratch / "image", size_kib, options);
        return MemoryDevice::from_file(scratch / "image");
    }
    ScratchDir scratch;
};

TEST_F(Ext2MountFixture, DebianDefaultsMountReadWrite)
{
    MemoryDevice device = image("");
    const disk::Superblock& s = superblock_of(device);
    // What Debian's mke2fs.conf gives ext2: the features the task names.
    EXPECT_EQ(s.feature_compat & (disk::CompatExtAttr | disk::CompatResizeInode | disk::CompatDirIndex),
              disk::CompatExtAttr | disk::CompatResizeInode | disk::CompatDirIndex);
    EXPECT_EQ(s.feature_incompat, disk::IncompatFiletype);
    EXPECT_EQ(s.feature_ro_compat, disk::RoCompatSparseSuper | disk::RoCompatLargeFile);
    EXPECT_EQ(s.inode_size, 256);
    Mounted m(device);
    ASSERT_TRUE(m.ok()) << m.report.reason;
    EXPECT_EQ(m.report.access, Access::ReadWrite) << m.report.reason;
    EXPECT_FALSE(m.fs->is_read_only());
    EXPECT_EQ(m.list("/"), std::vector<std::string>({".", "..", "lost+found"}));
}

class Ext2BlockSizeFixture : public Ext2MountFixture, public ::testing::WithParamInterface<int> {};

TEST_P(Ext2BlockSizeFixture, MountsAndReportsGeometry)
{
    MemoryDevice device = image("-b " + std::to_string(GetParam()));
    Mounted m(device);
    ASSERT_TRUE(m.ok()) << m.report.reason;
    VolumeStatistics v = m.fs->statistics();
    EXPECT_EQ(v.block_size, static_cast<uint32_t>(GetParam()));
    EXPECT_EQ(v.blocks * v.block_size, 8192u * 1024);
    EXPECT_GT(v.free_blocks, v.blocks / 2);
    EXPECT_LE(v.available_blocks, v.free_blocks);
    EXPECT_EQ(v.name_max, 255u);
}

INSTANTIATE_TEST_SUITE_P(Sizes, Ext2BlockSizeFixture, ::testing::Values(1024, 2048, 4096));

TEST_F(Ext2MountFixture, RevisionZeroMountsReadWrite)
{
    MemoryDevice device = image("-r 0");
    EXPECT_EQ(superblock_of(device).rev_level, 0u);
    Mounted m(device);
    ASSERT_TRUE(m.ok()) << m.report.reason;
    EXPECT_EQ(m.report.access, Access::ReadWrite);
}

TEST_F(Ext2MountFixture, BadMagicRefusesNamingIt)
{
    MemoryDevice device = image("");
    superblock_of(device).magic = 0x1234;
    Mounted m(device);
    EXPECT_FALSE(m.ok());
    EXPECT_EQ(m.mount_error, Errno::Inval);
    EXPECT_NE(std::strstr(m.report.reason, "magic 0x1234"), nullptr) << m.report.reason;
}

TEST_F(Ext2MountFixture, Ext4VolumeRefusesNamingItsIncompatibleFeatures)
{
    make_image(scratch / "image", 8192, "-t ext4 -O ^has_journal");
    MemoryDevice device = MemoryDevice::from_file(scratch / "image");
    Mounted m(device);
    EXPECT_FALSE(m.ok());
    EXPECT_NE(std::strstr(m.report.reason, "unsupported incompatible features"), nullptr);
    EXPECT_NE(std::strstr(m.report.reason, "extent"), nullptr) << m.report.reason;
    EXPECT_NE(std::strstr(m.report.reason, "flex_bg"), nullptr) << m.report.reason;
}

TEST_F(Ext2MountFixture, UnknownIncompatibleBitRefuses)
{
    MemoryDevice device = image("");
    superblock_of(device).feature_incompat |= 0x40000000;
    Mounted m(device);
    EXPECT_FALSE(m.ok());
    EXPECT_NE(std::strstr(m.report.reason, "unknown 0x40000000"), nullptr) << m.report.reason;
}

TEST_F(Ext2MountFixture, JournalNeedingRecoveryRefuses)
{
    MemoryDevice device = image("");
    superblock_of(device).feature_incompat |= disk::IncompatRecover;
    Mounted m(device);
    EXPECT_FALSE(m.ok());
    EXPECT_NE(std::strstr(m.report.reason, "needs_recovery"), nullptr) << m.report.reason;
}

TEST_F(Ext2MountFixture, UnknownReadOnlyCompatibleFeatureMountsReadOnly)
{
    MemoryDevice device = image("");
    superblock_of(device).feature_ro_compat |= 0x01000000;
    Mounted m(device);
    ASSERT_TRUE(m.ok()) << m.report.reason;
    EXPECT_EQ(m.report.access, Access::ReadOnly);
    EXPECT_NE(std::strstr(m.report.reason, "unknown 0x1000000"), nullptr) << m.report.reason;
    EXPECT_EQ(m.create("/x").error(), Errno::RoFs);
}

TEST_F(Ext2MountFixture, MetadataChecksumsMountReadOnly)
{
    make_image(scratch / "image", 8192, "-O metadata_csum");
    MemoryDevice device = MemoryDevice::from_file(scratch / "image");
    Mounted m(device);
    ASSERT_TRUE(m.ok()) << m.report.reason;
    EXPECT_EQ(m.report.access, Access::ReadOnly);
    EXPECT_NE(std::strstr(m.report.reason, "metadata_csum"), nullptr) << m.report.reason;
    EXPECT_EQ(m.list("/"), std::vector<std::string>({".", "..", "lost+found"}));
}

TEST_F(Ext2MountFixture, Ext3WithCleanJournalMountsReadWrite)
{
    make_image(scratch / "image", 16384, "-j");
    MemoryDevice device = MemoryDevice::from_file(scratch / "image");
    Mounted m(device);
    ASSERT_TRUE(m.ok()) << m.report.reason;
    EXPECT_EQ(m.report.access, Access::ReadWrite) << m.report.reason;
}

TEST_F(Ext2MountFixture, VolumeMarkedWithErrorsMountsReadOnly)
{
    MemoryDevice device = image("");
    superblock_of(device).state |= disk::StateErrors;
    Mounted m(device);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m.report.access, Access::ReadOnly);
    EXPECT_NE(std::strstr(m.report.reason, "errors"), nullptr) << m.report.reason;
}

TEST_F(Ext2MountFixture, VolumeLargerThanDeviceRefuses)
{
    MemoryDevice device = image("");
    device.bytes().resize(device.bytes().size() / 2);
    Mounted m(device);
    EXPECT_FALSE(m.ok());
    EXPECT_NE(std::strstr(m.report.reason, "larger than the device"), nullptr) << m.report.reason;
}

TEST_F(Ext2MountFixture, ReadOnlyOptionRefusesWrites)
{
    MemoryDevice device = image("");
    MountOptions options;
    options.access = Access::ReadOnly;
    Mounted m(device, options);
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m.fs->is_read_only());
    EXPECT_EQ(m.mkdir("/d").error(), Errno::RoFs);
    EXPECT_EQ(m.unlink("/lost+found").error(), Errno::RoFs);
    ASSERT_TRUE(m.fs->sync());
    EXPECT_EQ(device.writes, 0u);
}

TEST_F(Ext2MountFixture, MisplacedInodeTableRefuses)
{
    MemoryDevice device = image("-b 1024");
    // Group 0's descriptor sits at block 2 with 1 KiB blocks.
    auto* group = reinterpret_cast<disk::GroupDescriptor*>(device.bytes().data() + 2048);
    group->inode_table = 0xFFFFFF;
    Mounted m(device);
    EXPECT_FALSE(m.ok());
    EXPECT_NE(std::strstr(m.report.reason, "inode table misplaced"), nullptr) << m.report.reason;
}

TEST_F(Ext2MountFixture, TinyArenaFailsCleanly)
{
    MemoryDevice device = image("");
    Mounted m(device, {}, 8192);
    EXPECT_FALSE(m.ok());
    EXPECT_EQ(m.mount_error, Errno::NoMem);
    EXPECT_NE(std::strstr(m.report.reason, "arena"), nullptr) << m.report.reason;
}

} // namespace
} // namespace tessera::ext2::test
