// Names: create, mkdir, rmdir, unlink, rename, hard links, symlinks, readdir; each scenario ends
// with e2fsck's verdict on the synced volume.
#include <cstring>

#include <tessera/ext2/layout.h>

#include "volume_fixture.h"

namespace tessera::ext2::test {
namespace {

class Ext2NamespaceFixture : public Ext2VolumeFixture {
protected:
    void SetUp() override { make(""); }
    uint16_t links(const std::string& path)
    {
        auto inode = m().resolve(path, PathWalker::Follow::No);
        EXPECT_TRUE(inode) << path;
        return inode ? fs().stat(inode.value()).value().links : 0;
    }
    using Names = std::vector<std::string>;
};

TEST_F(Ext2NamespaceFixture, CreateThenLookupFindsTheSameInode)
{
    auto made = m().create("/a");
    ASSERT_TRUE(made);
    auto found = m().resolve("/a");
    ASSERT_TRUE(found);
    EXPECT_EQ(found.value(), made.value());
    EXPECT_EQ(m().create("/a").error(), Errno::Exist);
    EXPECT_EQ(m().create("/missing/a").error(), Errno::NoEnt);
    EXPECT_EQ(m().create("/a/b").error(), Errno::NotDir);
    EXPECT_EQ(m().create("/" + std::string(256, 'n')).error(), Errno::NameTooLong);
    EXPECT_TRUE(m().create("/" + std::string(255, 'n')));
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, MkdirCountsLinksAndRmdirUndoesThem)
{
    ASSERT_TRUE(m().mkdir("/d"));
    EXPECT_EQ(links("/"), 4); // ".", "..", lost+found's "..", d's ".."
    EXPECT_EQ(links("/d"), 2);
    ASSERT_TRUE(m().mkdir("/d/e"));
    EXPECT_EQ(links("/d"), 3);
    EXPECT_EQ(m().list("/d"), (Names{".", "..", "e"}));
    EXPECT_EQ(m().rmdir("/d").error(), Errno::NotEmpty);
    EXPECT_EQ(m().mkdir("/d").error(), Errno::Exist);
    expect_clean();
    ASSERT_TRUE(m().rmdir("/d/e"));
    EXPECT_EQ(links("/d"), 2);
    ASSERT_TRUE(m().rmdir("/d"));
    EXPECT_EQ(links("/"), 3);
    EXPECT_EQ(m().resolve("/d").error(), Errno::NoEnt);
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, RemovalRefusesTheWrongKind)
{
    ASSERT_TRUE(m().create("/f"));
    ASSERT_TRUE(m().mkdir("/d"));
    EXPECT_EQ(m().unlink("/d").error(), Errno::IsDir);
    EXPECT_EQ(m().rmdir("/f").error(), Errno::NotDir);
    EXPECT_EQ(m().rmdir("/d/.").error(), Errno::Inval);
    EXPECT_EQ(m().rmdir("/d/..").error(), Errno::NotEmpty);
    EXPECT_EQ(m().unlink("/nothing").error(), Errno::NoEnt);
    EXPECT_EQ(m().rmdir("/").error(), Errno::NoEnt); // no name: the root is nobody's entry
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, UnlinkFreesBlocksAndInode)
{
    VolumeStatistics before = fs().statistics();
    ASSERT_TRUE(m().create("/f"));
    ASSERT_TRUE(m().write_all("/f", pattern(100000, 1)));
    ASSERT_TRUE(m().unlink("/f"));
    VolumeStatistics after = fs().statistics();
    EXPECT_EQ(after.free_blocks, before.free_blocks);
    EXPECT_EQ(after.free_inodes, before.free_inodes);
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, UnlinkedOpenFileStaysReadableUntilLastRelease)
{
    VolumeStatistics before = fs().statistics();
    ASSERT_TRUE(m().create("/f"));
    auto bytes = pattern(50000, 2);
    ASSERT_TRUE(m().write_all("/f", bytes));
    auto inode = m().resolve("/f");
    ASSERT_TRUE(inode);
    ASSERT_TRUE(fs().hold(inode.value()));
    ASSERT_TRUE(fs().hold(inode.value()));
    ASSERT_TRUE(m().unlink("/f"));
    EXPECT_EQ(m().resolve("/f").error(), Errno::NoEnt);
    std::vector<uint8_t> back(bytes.size());
    auto got = fs().read(inode.value(), 0, back.data(), back.size());
    ASSERT_TRUE(got);
    EXPECT_EQ(back, bytes);
    // Still writable through the handle, and its name can be reused meanwhile.
    ASSERT_TRUE(fs().write(inode.value(), 0, "zz", 2));
    ASSERT_TRUE(m().create("/f"));
    ASSERT_TRUE(m().unlink("/f"));
    ASSERT_TRUE(fs().release(inode.value()));
    ASSERT_TRUE(fs().read(inode.value(), 0, back.data(), 2));
    EXPECT_EQ(back[0], 'z');
    ASSERT_TRUE(fs().release(inode.value()));
    VolumeStatistics after = fs().statistics();
    EXPECT_EQ(after.free_blocks, before.free_blocks);
    EXPECT_EQ(after.free_inodes, before.free_inodes);
    EXPECT_EQ(fs().release(inode.value()).error(), Errno::BadF);
    EXPECT_EQ(fs().hold(inode.value()).error(), Errno::NoEnt);
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, RenameWithinADirectory)
{
    ASSERT_TRUE(m().create("/a"));
    ASSERT_TRUE(m().write_all("/a", bytes_of("contents")));
    ASSERT_TRUE(m().rename("/a", "/b"));
    EXPECT_EQ(m().resolve("/a").error(), Errno::NoEnt);
    EXPECT_EQ(m().read_all("/b"), bytes_of("contents"));
    ASSERT_TRUE(m().rename("/b", "/b")); // to itself: nothing happens
    EXPECT_EQ(m().read_all("/b"), bytes_of("contents"));
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, RenameAcrossDirectoriesMovesDotDot)
{
    ASSERT_TRUE(m().mkdir("/x"));
    ASSERT_TRUE(m().mkdir("/y"));
    ASSERT_TRUE(m().mkdir("/x/sub"));
    ASSERT_TRUE(m().create("/x/sub/file"));
    ASSERT_TRUE(m().rename("/x/sub", "/y/moved"));
    EXPECT_EQ(links("/x"), 2);
    EXPECT_EQ(links("/y"), 3);
    auto y = m().resolve("/y");
    auto moved = m().resolve("/y/moved");
    auto dot_dot = fs().lookup(moved.value(), Name{"..", 2});
    ASSERT_TRUE(dot_dot);
    EXPECT_EQ(dot_dot.value(), y.value());
    EXPECT_TRUE(m().resolve("/y/moved/file"));
    ASSERT_TRUE(m().rename("/y/moved/file", "/x/file"));
    EXPECT_EQ(m().list("/x"), (Names{".", "..", "file"}));
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, RenameOverAnExistingFileReplacesIt)
{
    VolumeStatistics before = fs().statistics();
    ASSERT_TRUE(m().create("/old"));
    ASSERT_TRUE(m().write_all("/old", pattern(20000, 1)));
    ASSERT_TRUE(m().mkdir("/d"));
    ASSERT_TRUE(m().create("/d/new"));
    ASSERT_TRUE(m().write_all("/d/new", bytes_of("new")));
    ASSERT_TRUE(m().rename("/d/new", "/old"));
    EXPECT_EQ(m().read_all("/old"), bytes_of("new"));
    EXPECT_EQ(m().list("/d"), (Names{".", ".."}));
    ASSERT_TRUE(m().rmdir("/d"));
    ASSERT_TRUE(m().unlink("/old"));
    EXPECT_EQ(fs().statistics().free_blocks, before.free_blocks);
    EXPECT_EQ(fs().statistics().free_inodes, before.free_inodes);
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, RenameDirectoryOverEmptyDirectory)
{
    ASSERT_TRUE(m().mkdir("/a"));
    ASSERT_TRUE(m().mkdir("/b"));
    ASSERT_TRUE(m().mkdir("/a/in"));
    ASSERT_TRUE(m().mkdir("/b/target"));
    ASSERT_TRUE(m().create("/a/in/f"));
    ASSERT_TRUE(m().rename("/a/in", "/b/target"));
    EXPECT_EQ(links("/a"), 2);
    EXPECT_EQ(links("/b"), 3);
    EXPECT_TRUE(m().resolve("/b/target/f"));
    // Same directory, directory over directory.
    ASSERT_TRUE(m().mkdir("/b/other"));
    ASSERT_TRUE(m().rename("/b/other", "/b/target2"));
    ASSERT_TRUE(m().mkdir("/b/empty"));
    ASSERT_TRUE(m().rename("/b/empty", "/b/target2"));
    EXPECT_EQ(links("/b"), 4);
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, RenameRefusals)
{
    ASSERT_TRUE(m().mkdir("/d"));
    ASSERT_TRUE(m().mkdir("/d/sub"));
    ASSERT_TRUE(m().create("/d/sub/f"));
    ASSERT_TRUE(m().create("/f"));
    ASSERT_TRUE(m().mkdir("/full"));
    ASSERT_TRUE(m().create("/full/x"));
    EXPECT_EQ(m().rename("/d", "/d/sub/inside").error(), Errno::Inval);
    EXPECT_EQ(m().rename("/d", "/d/sub").error(), Errno::Inval); // replacing its own child
    EXPECT_EQ(m().rename("/d", "/f").error(), Errno::NotDir);
    EXPECT_EQ(m().rename("/f", "/d").error(), Errno::IsDir);
    EXPECT_EQ(m().rename("/d/sub", "/full").error(), Errno::NotEmpty);
    EXPECT_EQ(m().rename("/missing", "/x").error(), Errno::NoEnt);
    EXPECT_EQ(m().rename("/d/..", "/x").error(), Errno::Inval);
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, HardLinksShareContentsAndCount)
{
    ASSERT_TRUE(m().create("/f"));
    ASSERT_TRUE(m().write_all("/f", bytes_of("shared")));
    ASSERT_TRUE(m().mkdir("/d"));
    ASSERT_TRUE(m().link("/f", "/d/g"));
    EXPECT_EQ(links("/f"), 2);
    EXPECT_EQ(m().read_all("/d/g"), bytes_of("shared"));
    EXPECT_EQ(m().link("/d", "/dirlink").error(), Errno::Perm);
    EXPECT_EQ(m().link("/f", "/d/g").error(), Errno::Exist);
    // Renaming one name over another of the same inode changes nothing.
    ASSERT_TRUE(m().rename("/f", "/d/g"));
    EXPECT_EQ(links("/f"), 2);
    ASSERT_TRUE(m().unlink("/f"));
    EXPECT_EQ(links("/d/g"), 1);
    EXPECT_EQ(m().read_all("/d/g"), bytes_of("shared"));
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, SymlinksFastAndSlow)
{
    std::string slow(300, 's');
    ASSERT_TRUE(m().symlink("short/target", "/fast"));
    ASSERT_TRUE(m().symlink(slow, "/slow"));
    EXPECT_EQ(m().read_link("/fast"), "short/target");
    EXPECT_EQ(m().read_link("/slow"), slow);
    auto fast = m().resolve("/fast", PathWalker::Follow::No);
    EXPECT_EQ(fs().stat(fast.value()).value().blocks, 0u);
    auto slow_inode = m().resolve("/slow", PathWalker::Follow::No);
    EXPECT_GT(fs().stat(slow_inode.value()).value().blocks, 0u);
    EXPECT_EQ(fs().stat(slow_inode.value()).value().mode, 0120777);
    EXPECT_EQ(m().symlink(std::string(5000, 'x'), "/toolong").error(), Errno::NameTooLong);
    EXPECT_EQ(m().symlink("", "/empty").error(), Errno::NoEnt);
    auto file = m().create("/file");
    char buffer[16];
    EXPECT_EQ(fs().read_link(file.value(), buffer, sizeof buffer).error(), Errno::Inval);
    expect_clean();
    CommandResult debug = debugfs(scratch / "image", "stat /slow");
    EXPECT_NE(debug.output.find("Type: symlink"), std::string::npos) << debug.output;
    ASSERT_TRUE(m().unlink("/slow"));
    ASSERT_TRUE(m().unlink("/fast"));
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, ThousandsOfEntriesInOneDirectory)
{
    ASSERT_TRUE(m().mkdir("/many"));
    Names expected = {".", ".."};
    for (int i = 0; i < 3000; ++i) {
        std::string name = "file-" + std::to_string(i) + std::string(i % 50, 'x');
        ASSERT_TRUE(m().create("/many/" + name)) << name;
        expected.push_back(name);
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(m().list("/many"), expected);
    expect_clean();
    // Remove every other one; the freed records are reused by new names.
    auto dir = m().resolve("/many");
    uint64_t size_before = fs().stat(dir.value()).value().size;
    for (int i = 0; i < 3000; i += 2)
        ASSERT_TRUE(m().unlink("/many/file-" + std::to_string(i) + std::string(i % 50, 'x')));
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(m().create("/many/n" + std::to_string(i)));
    EXPECT_EQ(fs().stat(dir.value()).value().size, size_before);
    EXPECT_EQ(m().list("/many").size(), 2u + 1500 + 1000);
    expect_clean();
}

TEST_F(Ext2NamespaceFixture, ReaddirResumesFromItsCursor)
{
    ASSERT_TRUE(m().mkdir("/r"));
    for (int i = 0; i < 200; ++i)
        ASSERT_TRUE(m().create("/r/entry" + std::to_string(i)));
    auto dir = m().resolve("/r");
    // Take five entries at a time, as a client with a small buffer would.
    struct Five final : DirectoryVisitor {
        bool visit(const DirectoryEntry& e) override
        {
            if (taken == 5)
                return false;
            names.emplace_back(e.name.bytes, e.name.length);
            ++taken;
            return true;
        }
        int taken = 0;
        Names names;
    } five;
    uint64_t cursor = 0;
    uint64_t size = fs().stat(dir.value()).value().size;
    int rounds = 0;
    while (cursor < size) {
        five.taken = 0;
        auto next = fs().read_directory(dir.value(), cursor, five);
        ASSERT_TRUE(next);
        ASSERT_GT(next.value(), cursor);
        cursor = next.value();
        ++rounds;
    }
    EXPECT_EQ(five.names.size(), 202u);
    EXPECT_GE(rounds, 41);
    std::sort(five.names.begin(), five.names.end());
    EXPECT_EQ(five.names, m().list("/r"));
}

TEST_F(Ext2NamespaceFixture, DirectoryEntryTypesMatchInodes)
{
    ASSERT_TRUE(m().create("/f"));
    ASSERT_TRUE(m().mkdir("/d"));
    ASSERT_TRUE(m().symlink("f", "/l"));
    struct Types final : DirectoryVisitor {
        bool visit(const DirectoryEntry& e) override
        {
            types[std::string(e.name.bytes, e.name.length)] = e.type;
            return true;
        }
        std::map<std::string, FileType> types;
    } types;
    ASSERT_TRUE(fs().read_directory(RootInode, 0, types));
    EXPECT_EQ(types.types["f"], FileType::Regular);
    EXPECT_EQ(types.types["d"], FileType::Directory);
    EXPECT_EQ(types.types["l"], FileType::Symlink);
}

TEST_F(Ext2NamespaceFixture, ChangesSurviveARemount)
{
    ASSERT_TRUE(m().mkdir("/keep"));
    ASSERT_TRUE(m().create("/keep/f"));
    ASSERT_TRUE(m().write_all("/keep/f", bytes_of("persisted")));
    ASSERT_TRUE(fs().sync());
    remount();
    EXPECT_EQ(m().read_all("/keep/f"), bytes_of("persisted"));
    // Without a sync, the cache is lost with the mount.
    ASSERT_TRUE(m().create("/lost"));
    remount();
    EXPECT_EQ(m().resolve("/lost").error(), Errno::NoEnt);
}

TEST_F(Ext2NamespaceFixture, SyncLeavesTheSuperblockCleanAndChangesMarkItInUse)
{
    auto state = [&] {
        return reinterpret_cast<const disk::Superblock*>(device->bytes().data() + 1024)->state;
    };
    EXPECT_EQ(state() & disk::StateValid, disk::StateValid);
    ASSERT_TRUE(m().create("/f"));
    // The first change after a sync writes "not clean" at once.
    EXPECT_EQ(state() & disk::StateValid, 0);
    ASSERT_TRUE(fs().sync());
    EXPECT_EQ(state() & disk::StateValid, disk::StateValid);
}

} // namespace
} // namespace tessera::ext2::test
