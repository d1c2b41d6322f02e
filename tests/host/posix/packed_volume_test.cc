// The default root (the files packed into the server) behind the same Volume interface as the
// ext2 service: lookups, implied directories, listings that resume, and a read-only answer to
// every change.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "linux/constants.h"
#include "server/packed_volume.h"

namespace tessera::posix::server {
namespace {

namespace open_flag = linux::open_flag;

const uint8_t busybox[] = "\x7f" "ELF....";
const uint8_t motd[] = "hello\n";
const PackedFile packed[] = {
    {"/bin/busybox", busybox, sizeof busybox - 1, 0755},
    {"/bin/sh", busybox, sizeof busybox - 1, 0755},
    {"/etc/motd", motd, sizeof motd - 1, 0644},
    {"/etc/deep/x", motd, 2, 0600},
};

class Collect final : public fs::EntrySink {
public:
    explicit Collect(size_t room = SIZE_MAX) : room_(room) {}
    bool take(const fs::Entry& entry) override
    {
        if (names.size() == room_)
            return false;
        names.emplace_back(entry.name);
        types.push_back(entry.type);
        return true;
    }
    std::vector<std::string> names;
    std::vector<uint8_t> types;

private:
    size_t room_;
};

class PackedVolumeTest : public ::testing::Test {
protected:
    FileTable table{packed, sizeof packed / sizeof packed[0]};
    PackedVolume volume{table};
};

TEST_F(PackedVolumeTest, FilesReadFromTheirBytesAtAnyOffset)
{
    Result<fs::Handle> file = volume.open("/etc//./motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    char buffer[16] = {};
    ASSERT_EQ(volume.read(file.value(), 2, buffer, sizeof buffer).value(), 4u);
    EXPECT_STREQ(buffer, "llo\n");
    EXPECT_EQ(volume.read(file.value(), 99, buffer, sizeof buffer).value(), 0u);
    EXPECT_EQ(volume.contents(file.value()), motd);
    Result<linux::Stat> st = volume.stat(file.value());
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().mode, linux::mode::Regular | 0644);
    EXPECT_EQ(st.value().size, 6);
    volume.close(file.value());
}

TEST_F(PackedVolumeTest, DirectoriesAreImpliedByPaths)
{
    for (const char* path : {"/", "", "/bin", "/etc/deep", "/etc/"}) {
        Result<linux::Stat> st = volume.stat(path, true);
        ASSERT_TRUE(st) << path;
        EXPECT_EQ(st.value().mode & linux::mode::TypeMask, linux::mode::Directory) << path;
    }
    EXPECT_EQ(volume.stat("/et", true).error(), Errno::NoEnt);
    EXPECT_EQ(volume.open("/bin/sh", open_flag::Directory, 0).error(), Errno::NotDir);
    EXPECT_EQ(volume.open("/missing", open_flag::ReadOnly, 0).error(), Errno::NoEnt);
}

TEST_F(PackedVolumeTest, ListingsResumeAtTheEntryThatDidNotFit)
{
    Result<fs::Handle> directory = volume.open("/etc", open_flag::Directory, 0);
    ASSERT_TRUE(directory);
    EXPECT_EQ(volume.read(directory.value(), 0, nullptr, 0).error(), Errno::IsDir);
    std::vector<std::string> all;
    uint64_t cursor = 0;
    for (int round = 0; round < 10; ++round) {
        Collect one(1);
        ASSERT_TRUE(volume.list(directory.value(), cursor, one));
        if (one.names.empty())
            break;
        all.push_back(one.names[0]);
    }
    EXPECT_EQ(all, (std::vector<std::string>{".", "..", "motd", "deep"}));
    volume.close(directory.value());
}

TEST_F(PackedVolumeTest, EveryChangeIsReadOnly)
{
    EXPECT_EQ(volume.open("/etc/motd", open_flag::WriteOnly, 0).error(), Errno::RoFs);
    EXPECT_EQ(volume.open("/etc/new", open_flag::Create | open_flag::WriteOnly, 0644).error(),
              Errno::RoFs);
    EXPECT_EQ(volume.open("/etc", open_flag::ReadWrite, 0).error(), Errno::IsDir);
    EXPECT_EQ(volume.make_directory("/tmp", 0755).error(), Errno::RoFs);
    EXPECT_EQ(volume.unlink("/etc/motd").error(), Errno::RoFs);
    EXPECT_EQ(volume.rename("/etc/motd", "/etc/x").error(), Errno::RoFs);
    EXPECT_EQ(volume.symlink("motd", "/etc/link").error(), Errno::RoFs);
    char target[8];
    EXPECT_EQ(volume.read_link("/etc/motd", target, sizeof target).error(), Errno::Inval);
    EXPECT_EQ(volume.read_link("/etc/none", target, sizeof target).error(), Errno::NoEnt);
    Result<fs::Handle> file = volume.open("/etc/motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    EXPECT_EQ(volume.write(file.value(), 0, "x", 1).error(), Errno::BadF);
    EXPECT_EQ(volume.set_attributes(file.value(), fs::AttributeChange{true, true, {1, 0}, {1, 0}}).error(), Errno::RoFs);
    EXPECT_EQ(volume.statfs().value().flags, 1);
}

TEST_F(PackedVolumeTest, OpenDirectoriesAreCountedAndReleased)
{
    std::vector<fs::Handle> open;
    for (int i = 0; i < PackedVolume::MaxOpenDirectories; ++i) {
        Result<fs::Handle> directory = volume.open("/bin", open_flag::Directory, 0);
        ASSERT_TRUE(directory);
        open.push_back(directory.value());
    }
    EXPECT_EQ(volume.open("/bin", open_flag::Directory, 0).error(), Errno::NFile);
    volume.close(open.back());
    EXPECT_TRUE(volume.open("/bin", open_flag::Directory, 0));
    Collect names;
    uint64_t cursor = 0;
    EXPECT_EQ(volume.list(fs::Handle{0}, cursor, names).error(), Errno::NotDir);
    EXPECT_EQ(volume.list(fs::Handle{9999}, cursor, names).error(), Errno::BadF);
}

// The mount points the server gives the default root: listed once each in their parents beside
// what the files imply, stat'ed and opened as empty directories.
TEST(PackedVolumeMountPoints, GivenDirectoriesAreListedAndStated)
{
    const char* const points[] = {"/dev/shm", "/proc", "/tmp", "/etc/deep"};
    FileTable table{packed, sizeof packed / sizeof packed[0], points, 4};
    PackedVolume volume{table};
    auto names_in = [&](const char* path) {
        Result<fs::Handle> directory = volume.open(path, open_flag::Directory, 0);
        EXPECT_TRUE(directory) << path;
        Collect names;
        uint64_t cursor = 0;
        if (directory) {
            EXPECT_TRUE(volume.list(directory.value(), cursor, names));
            volume.close(directory.value());
        }
        return names;
    };
    Collect root = names_in("/");
    EXPECT_EQ(root.names, (std::vector<std::string>{".", "..", "bin", "etc", "dev", "proc", "tmp"}));
    for (size_t i = 2; i < root.types.size(); ++i)
        EXPECT_EQ(root.types[i], linux::dirent_type::Directory) << root.names[i];
    EXPECT_EQ(names_in("/dev").names, (std::vector<std::string>{".", "..", "shm"}));
    EXPECT_EQ(names_in("/tmp").names, (std::vector<std::string>{".", ".."}));
    EXPECT_EQ(names_in("/etc").names, (std::vector<std::string>{".", "..", "motd", "deep"}))
        << "a given directory the files imply already is listed once";
    for (const char* path : {"/dev", "/dev/shm", "/proc", "/tmp"}) {
        Result<linux::Stat> st = volume.stat(path, true);
        ASSERT_TRUE(st) << path;
        EXPECT_EQ(st.value().mode & linux::mode::TypeMask, linux::mode::Directory) << path;
    }
    EXPECT_EQ(volume.stat("/dev/null", true).error(), Errno::NoEnt);
    EXPECT_EQ(volume.stat("/tm", true).error(), Errno::NoEnt);
    EXPECT_EQ(volume.make_directory("/tmp/x", 0755).error(), Errno::RoFs);
}

} // namespace
} // namespace tessera::posix::server
