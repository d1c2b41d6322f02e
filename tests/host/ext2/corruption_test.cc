// Damaged volumes, damaged the way debugfs can: each damage is found, reported by name, refused
// with EIO, and turns the volume read-only; nothing crashes and nothing spreads the damage.
#include <cstring>

#include <tessera/ext2/layout.h>

#include "volume_fixture.h"

namespace tessera::ext2::test {
namespace {

namespace fs = std::filesystem;

class Ext2CorruptionFixture : public Ext2VolumeFixture {
protected:
    void SetUp() override
    {
        fs::create_directories(scratch / "tree" / "a" / "b");
        fs::create_directories(scratch / "tree" / "c");
        write_file(scratch / "tree" / "a" / "f", pattern(5000, 1));
        write_file(scratch / "tree" / "g", pattern(100, 2));
        make_image(scratch / "image", 4096, "-b 1024", scratch / "tree");
    }
    // Runs debugfs -w commands on the image.
    void damage_image(const std::vector<std::string>& commands)
    {
        mounted.reset();
        for (const std::string& command : commands) {
            CommandResult done = run_command("debugfs -w -R '" + command + "' '" +
                                             (scratch / "image").string() + "'");
            ASSERT_EQ(done.status, 0) << done.output;
        }
        device.emplace(MemoryDevice::from_file(scratch / "image"));
    }
    // The same, then mounts the damaged image.
    void damage(const std::vector<std::string>& commands)
    {
        damage_image(commands);
        remount();
    }
    // The first data block of path, as debugfs sees it.
    uint32_t first_block(const std::string& path)
    {
        CommandResult blocks = debugfs(scratch / "image", "blocks " + path);
        return static_cast<uint32_t>(std::stoul(blocks.output.substr(blocks.output.find('\n') + 1)));
    }
    // Overwrites bytes of the mounted device's copy and mounts it again.
    void poke(uint64_t offset, const void* bytes, size_t length)
    {
        std::memcpy(device->bytes().data() + offset, bytes, length);
        remount();
    }
    void expect_read_only_with(const char* words)
    {
        EXPECT_TRUE(fs().is_read_only());
        EXPECT_NE(std::strstr(fs().problem(), words), nullptr) << fs().problem();
        EXPECT_EQ(m().create("/new").error(), Errno::RoFs);
    }
};

TEST_F(Ext2CorruptionFixture, CheckerSeesAMarkedBlockNobodyOwns)
{
    // The harness itself: e2fsck -fn must fail on a volume with a stray bitmap bit, or every
    // "clean" verdict in these tests would prove nothing.
    damage({"setb 3000"});
    CommandResult checked = check_image(scratch / "image");
    EXPECT_NE(checked.status, 0) << checked.output;
}

TEST_F(Ext2CorruptionFixture, BlockPointerPastTheEndReadsAsIoError)
{
    damage({"sif /a/f block[0] 99999999"});
    Errno error = Errno::Ok;
    m().read_all("/a/f", &error);
    EXPECT_EQ(error, Errno::Io);
    expect_read_only_with("outside the volume");
    // Other files still read.
    EXPECT_EQ(m().read_all("/g"), pattern(100, 2));
}

TEST_F(Ext2CorruptionFixture, IndirectPointerPastTheEndIsCaught)
{
    damage({"sif /a/f size 100000", "sif /a/f block[IND] 4000000"});
    auto inode = m().resolve("/a/f");
    ASSERT_TRUE(inode);
    char byte;
    EXPECT_EQ(fs().read(inode.value(), 20 * 1024, &byte, 1).error(), Errno::Io);
    expect_read_only_with("indirect block");
}

TEST_F(Ext2CorruptionFixture, DirectoryEntryWithBadRecordLengthReadsAsIoError)
{
    // The root's first block: "." then ".." with a record length running off the block.
    damage({});
    uint16_t bad = 3000;
    poke(uint64_t{first_block("/")} * 1024 + 12 + 4, &bad, 2);
    Errno error = Errno::Ok;
    m().list("/", &error);
    EXPECT_EQ(error, Errno::Io);
    EXPECT_EQ(m().resolve("/g").error(), Errno::Io);
    expect_read_only_with("bad entry");
}

TEST_F(Ext2CorruptionFixture, DirectoryEntryNamingAnInodeOutOfRangeIsCaught)
{
    damage({});
    uint32_t bad = 0x7FFFFFFF;
    poke(uint64_t{first_block("/a")} * 1024 + 24, &bad, 4); // the third entry's inode
    Errno error = Errno::Ok;
    m().list("/a", &error);
    EXPECT_EQ(error, Errno::Io);
    expect_read_only_with("bad entry");
}

TEST_F(Ext2CorruptionFixture, LoopOfDotDotEntriesIsCaughtByRename)
{
    // /a's ".." points at /a/b, whose ".." points at /a: a loop that never reaches the root.
    damage({"unlink /a/..", "link /a/b /a/.."});
    EXPECT_EQ(m().rename("/c", "/a/b/c").error(), Errno::Io);
    expect_read_only_with("loop");
}

TEST_F(Ext2CorruptionFixture, DirectoryHardLinkedIntoItselfStaysFinite)
{
    // /a/b/up names /a: paths through it are finite, and ".." never leaves the walk's stack.
    damage({"link /a /a/b/up"});
    auto deep = m().resolve("/a/b/up/b/up/b/up/f");
    ASSERT_TRUE(deep);
    EXPECT_EQ(deep.value(), m().resolve("/a/f").value());
    auto back = m().resolve("/a/b/up/b/up/../../..");
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), m().resolve("/a/b").value());
}

TEST_F(Ext2CorruptionFixture, BitmapMarkingMetadataFreeStopsAllocation)
{
    // Free the block bitmap's own bit: handing it out would overwrite the bitmap.
    auto stats = debugfs(scratch / "image", "stats");
    size_t at = stats.output.find("block bitmap at ");
    ASSERT_NE(at, std::string::npos) << stats.output;
    uint32_t bitmap = static_cast<uint32_t>(std::stoul(stats.output.substr(at + 16)));
    damage({"freeb " + std::to_string(bitmap)});
    auto inode = m().resolve("/g");
    ASSERT_TRUE(inode);
    EXPECT_EQ(fs().write(inode.value(), 10000, "x", 1).error(), Errno::Io);
    expect_read_only_with("metadata free");
}

TEST_F(Ext2CorruptionFixture, DoubleFreeIsRefusedNotCounted)
{
    damage({"freeb " + std::to_string(first_block("/a/f"))});
    uint64_t free_before = fs().statistics().free_blocks;
    EXPECT_EQ(m().unlink("/a/f").error(), Errno::Io);
    EXPECT_LE(fs().statistics().free_blocks, free_before + 5);
    expect_read_only_with("already free");
}

TEST_F(Ext2CorruptionFixture, DirectorySizeNotAMultipleOfTheBlockIsCaught)
{
    damage({"sif /a size 1500"});
    EXPECT_EQ(m().resolve("/a/f").error(), Errno::Io);
    expect_read_only_with("not a multiple");
}

TEST_F(Ext2CorruptionFixture, SymlinkWithImpossibleLengthIsCaught)
{
    damage({"symlink /l /target", "sif /l size 0"});
    EXPECT_EQ(m().read_link("/l"), "<EIO>");
    expect_read_only_with("symlink");
}

TEST_F(Ext2CorruptionFixture, RootThatIsNotADirectoryRefusesTheMount)
{
    damage_image({"sif <2> mode 0100644"});
    Mounted broken(*device);
    EXPECT_FALSE(broken.ok());
    EXPECT_NE(std::strstr(broken.report.reason, "root"), nullptr) << broken.report.reason;
}

TEST_F(Ext2CorruptionFixture, InodeCountDisagreeingWithGroupsRefusesTheMount)
{
    damage_image({"ssv inodes_count 12345"});
    Mounted broken(*device);
    EXPECT_FALSE(broken.ok());
    EXPECT_NE(std::strstr(broken.report.reason, "12345 inodes"), nullptr) << broken.report.reason;
}

TEST_F(Ext2CorruptionFixture, DeviceErrorsAreReportedAsIo)
{
    damage({});
    device->fail_after = 0;
    Errno error = Errno::Ok;
    m().fs->drop_caches().error();
    m().read_all("/a/f", &error);
    EXPECT_EQ(error, Errno::Io);
    device->fail_after = -1;
    // A device error is not damage: the volume stays writable.
    EXPECT_FALSE(fs().is_read_only());
    EXPECT_EQ(m().read_all("/a/f"), pattern(5000, 1));
}

} // namespace
} // namespace tessera::ext2::test
