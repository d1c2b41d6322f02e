// The POSIX server's root volume as a client of the ext2 service: the service runs in-process on a
// volume that mke2fs made from a tree at test time, the server's Ext2Volume speaks the protocol to
// it through the client library, and what it changes is checked on the image by e2fsck and debugfs.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "../ext2/service_fixture.h"
#include "core/fs/ext2_volume.h"
#include "linux/constants.h"

namespace tessera::posix::fs {
namespace {

using ext2::test::ClientSpec;
namespace open_flag = linux::open_flag;

// Takes up to `room` entries.
class Names final : public EntrySink {
public:
    explicit Names(size_t room = SIZE_MAX) : room_(room) {}
    bool take(const Entry& entry) override
    {
        if (names.size() == room_)
            return false;
        EXPECT_EQ(strlen(entry.name), entry.name_length);
        names.emplace_back(entry.name);
        types.push_back(entry.type);
        return true;
    }
    std::vector<std::string> names;
    std::vector<uint8_t> types;

private:
    size_t room_;
};

class Ext2VolumeTest : public ext2::test::Ext2ServiceFixture {
protected:
    void SetUp() override
    {
        const auto tree = scratch / "tree";
        std::filesystem::create_directories(tree / "etc");
        std::filesystem::create_directories(tree / "bin");
        std::ofstream(tree / "etc" / "motd") << "hello from ext2\n";
        for (int i = 0; i < 40; ++i)
            std::ofstream(tree / "bin" / ("tool" + std::to_string(i))) << i;
        std::filesystem::create_symlink("motd", tree / "etc" / "greeting");
        ext2::test::make_image(scratch / "image", 8192, "", tree);
        device.emplace(ext2::test::MemoryDevice::from_file(scratch / "image"));
        start_service({ClientSpec{}});
        volume = std::make_unique<Ext2Volume>(client(0));
    }

    std::string contents(const char* path)
    {
        Result<Handle> file = volume->open(path, open_flag::ReadOnly, 0);
        if (!file)
            return "<" + std::to_string(int(file.error())) + ">";
        std::string out;
        char buffer[7]; // small, so that offsets matter
        for (uint64_t offset = 0;;) {
            Result<size_t> got = volume->read(file.value(), offset, buffer, sizeof buffer);
            EXPECT_TRUE(got);
            if (!got || got.value() == 0)
                break;
            out.append(buffer, got.value());
            offset += got.value();
        }
        volume->close(file.value());
        return out;
    }

    // The image as saved after a sync, for e2fsck and debugfs.
    void save_synced()
    {
        ASSERT_TRUE(volume->sync());
        device->save(scratch / "image");
    }

    std::unique_ptr<Ext2Volume> volume;
};

TEST_F(Ext2VolumeTest, ReadsFilesOfATreeMadeByMke2fsAtAnyOffset)
{
    EXPECT_EQ(contents("/etc/motd"), "hello from ext2\n");
    EXPECT_EQ(contents("/etc/greeting"), "hello from ext2\n");
    EXPECT_EQ(contents("/bin/tool17"), "17");
}

TEST_F(Ext2VolumeTest, StatFollowsSymlinksAndLstatDoesNot)
{
    Result<linux::Stat> followed = volume->stat("/etc/greeting", true);
    ASSERT_TRUE(followed);
    EXPECT_EQ(followed.value().mode & linux::mode::TypeMask, linux::mode::Regular);
    EXPECT_EQ(followed.value().size, 16);
    EXPECT_EQ(followed.value().dev, Ext2Volume::DeviceNumber);
    Result<linux::Stat> link = volume->stat("/etc/greeting", false);
    ASSERT_TRUE(link);
    EXPECT_EQ(link.value().mode & linux::mode::TypeMask, linux::mode::Symlink);
    EXPECT_EQ(link.value().size, 4);
    EXPECT_NE(link.value().ino, followed.value().ino);
    char target[16];
    Result<size_t> length = volume->read_link("/etc/greeting", target, sizeof target);
    ASSERT_TRUE(length);
    EXPECT_EQ(std::string(target, length.value()), "motd");

    Result<linux::Stat> root = volume->stat("/", true);
    ASSERT_TRUE(root);
    EXPECT_EQ(root.value().ino, 2u);
    EXPECT_EQ(root.value().mode & linux::mode::TypeMask, linux::mode::Directory);
}

TEST_F(Ext2VolumeTest, AListingStoppedByAFullSinkResumesWithTheEntryThatDidNotFit)
{
    Result<Handle> directory = volume->open("/bin", open_flag::ReadOnly | open_flag::Directory, 0);
    ASSERT_TRUE(directory);
    std::vector<std::string> all;
    uint64_t cursor = 0;
    for (int round = 0; round < 100; ++round) {
        Names three(3);
        ASSERT_TRUE(volume->list(directory.value(), cursor, three));
        if (three.names.empty())
            break;
        all.insert(all.end(), three.names.begin(), three.names.end());
    }
    volume->close(directory.value());
    std::sort(all.begin(), all.end());
    std::vector<std::string> expected = {".", ".."};
    for (int i = 0; i < 40; ++i)
        expected.push_back("tool" + std::to_string(i));
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(all, expected);
}

TEST_F(Ext2VolumeTest, ListingGivesLinuxDirentTypes)
{
    Result<Handle> directory = volume->open("/etc", open_flag::ReadOnly | open_flag::Directory, 0);
    ASSERT_TRUE(directory);
    uint64_t cursor = 0;
    Names names;
    ASSERT_TRUE(volume->list(directory.value(), cursor, names));
    for (size_t i = 0; i < names.names.size(); ++i) {
        const std::string& name = names.names[i];
        uint8_t expected = name == "motd"       ? linux::dirent_type::Regular
                           : name == "greeting" ? linux::dirent_type::Symlink
                                                : linux::dirent_type::Directory;
        EXPECT_EQ(names.types[i], expected) << name;
    }
    EXPECT_EQ(names.names.size(), 4u);
    volume->close(directory.value());
}

TEST_F(Ext2VolumeTest, ErrorsAreLinuxErrnoValues)
{
    EXPECT_EQ(volume->open("/missing", open_flag::ReadOnly, 0).error(), Errno::NoEnt);
    EXPECT_EQ(volume->open("/etc/motd/x", open_flag::ReadOnly, 0).error(), Errno::NotDir);
    EXPECT_EQ(volume->open("/etc", open_flag::WriteOnly, 0).error(), Errno::IsDir);
    EXPECT_EQ(volume->open("/etc/motd", open_flag::Create | open_flag::Exclusive, 0644).error(),
              Errno::Exist);
    EXPECT_EQ(volume->make_directory("/etc", 0755).error(), Errno::Exist);
    EXPECT_EQ(volume->remove_directory("/bin").error(), Errno::NotEmpty);
    EXPECT_EQ(volume->unlink("/etc").error(), Errno::IsDir);
    EXPECT_EQ(volume->stat("/nowhere/file", true).error(), Errno::NoEnt);

    Result<Handle> file = volume->open("/etc/motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    uint64_t cursor = 0;
    Names names;
    EXPECT_EQ(volume->list(file.value(), cursor, names).error(), Errno::NotDir);
    EXPECT_EQ(volume->list(Handle{63}, cursor, names).error(), Errno::BadF);
    EXPECT_EQ(volume->write(file.value(), 0, "x", 1).error(), Errno::BadF);
    volume->close(file.value());
}

TEST_F(Ext2VolumeTest, DescriptorFlagsStayWithTheServer)
{
    // O_CLOEXEC, O_NONBLOCK, O_NOCTTY and O_LARGEFILE are the descriptor's, not the file system's.
    Result<Handle> file = volume->open("/etc/motd",
                                       open_flag::ReadOnly | open_flag::CloseOnExec |
                                           open_flag::NonBlock | open_flag::NoCtty |
                                           open_flag::LargeFile,
                                       0);
    ASSERT_TRUE(file) << int(file.error());
    volume->close(file.value());
}

TEST_F(Ext2VolumeTest, ChangesReachTheImageWhichE2fsckFindsClean)
{
    Result<Handle> file = volume->open("/etc/notes",
                                       open_flag::WriteOnly | open_flag::Create | open_flag::Truncate,
                                       0640 | linux::mode::Regular);
    ASSERT_TRUE(file);
    std::string text(5000, 'n');
    text += "end\n";
    ASSERT_EQ(volume->write(file.value(), 0, text.data(), text.size()).value(), text.size());
    Result<linux::Stat> st = volume->stat(file.value());
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().size, int64_t(text.size()));
    EXPECT_EQ(st.value().mode, linux::mode::Regular | 0640);
    ASSERT_TRUE(volume->truncate(file.value(), 4000));
    volume->close(file.value());

    ASSERT_TRUE(volume->make_directory("/home", 0700));
    ASSERT_TRUE(volume->rename("/etc/notes", "/home/notes"));
    ASSERT_TRUE(volume->symlink("/home/notes", "/notes"));
    ASSERT_TRUE(volume->link("/etc/motd", "/home/motd"));
    ASSERT_TRUE(volume->unlink("/bin/tool3"));
    ASSERT_TRUE(volume->change_mode("/etc/motd", 0600));
    EXPECT_EQ(contents("/notes"), std::string(4000, 'n'));

    save_synced();
    ext2::test::CommandResult checked = ext2::test::check_image(scratch / "image");
    EXPECT_EQ(checked.status, 0) << checked.output;
    const auto dumped = scratch / "dumped";
    ext2::test::debugfs(scratch / "image", "dump /home/notes " + dumped.string());
    const std::vector<uint8_t> notes = ext2::test::read_file(dumped);
    EXPECT_TRUE(notes == std::vector<uint8_t>(4000, 'n')) << notes.size() << " bytes";
    std::string listing = ext2::test::debugfs(scratch / "image", "ls -l /home").output;
    EXPECT_NE(listing.find("notes"), std::string::npos) << listing;
    EXPECT_NE(listing.find("motd"), std::string::npos) << listing;
    EXPECT_NE(ext2::test::debugfs(scratch / "image", "stat /notes").output.find("Type: symlink"),
              std::string::npos);
    EXPECT_NE(ext2::test::debugfs(scratch / "image", "stat /bin/tool3").output.find("not found"),
              std::string::npos);
    EXPECT_NE(ext2::test::debugfs(scratch / "image", "stat /etc/motd").output.find("Mode:  0600"),
              std::string::npos)
        << ext2::test::debugfs(scratch / "image", "stat /etc/motd").output;
}

// chown, fchown and fchmod on the root volume: the owner, the group (above 16 bits: ext2's high
// half) and the mode on the inode, as debugfs reads it.
TEST_F(Ext2VolumeTest, OwnerGroupAndModeGoToTheInode)
{
    Result<Handle> file = volume->open("/etc/motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    AttributeChange change;
    change.set_owner = change.set_group = change.set_mode = true;
    change.owner = 1000;
    change.group = 70000;
    change.mode = 04751;
    ASSERT_TRUE(volume->set_attributes(file.value(), change));
    Result<linux::Stat> st = volume->stat(file.value());
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().uid, 1000u);
    EXPECT_EQ(st.value().gid, 70000u);
    EXPECT_EQ(st.value().mode, linux::mode::Regular | 04751);
    volume->close(file.value());
    save_synced();
    const std::string on_disk = ext2::test::debugfs(scratch / "image", "stat /etc/motd").output;
    EXPECT_NE(on_disk.find("User:  1000"), std::string::npos) << on_disk;
    EXPECT_NE(on_disk.find("Group: 70000"), std::string::npos) << on_disk;
    EXPECT_NE(on_disk.find("Mode:  04751"), std::string::npos) << on_disk;
}

TEST_F(Ext2VolumeTest, SetTimesChangesOnlyTheTimesAskedFor)
{
    Result<Handle> file = volume->open("/etc/motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    const linux::Stat before = volume->stat(file.value()).value();
    AttributeChange change;
    change.set_modification = true;
    change.modification = {981173106, 250};
    ASSERT_TRUE(volume->set_attributes(file.value(), change));
    linux::Stat after = volume->stat(file.value()).value();
    EXPECT_EQ(after.mtime.seconds, 981173106);
    EXPECT_EQ(after.atime.seconds, before.atime.seconds); // not asked: kept
    change = AttributeChange{};
    change.set_access = true;
    change.access = {1000000000, 0};
    ASSERT_TRUE(volume->set_attributes(file.value(), change));
    after = volume->stat(file.value()).value();
    EXPECT_EQ(after.atime.seconds, 1000000000);
    EXPECT_EQ(after.mtime.seconds, 981173106);
    volume->close(file.value());

    save_synced();
    EXPECT_EQ(ext2::test::check_image(scratch / "image").status, 0);
    const std::string shown = ext2::test::debugfs(scratch / "image", "stat /etc/motd").output;
    EXPECT_NE(shown.find("mtime: 0x3a7b8372"), std::string::npos) << shown;
}

TEST_F(Ext2VolumeTest, StatfsDescribesAnExt2Volume)
{
    Result<linux::Statfs> st = volume->statfs();
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().type, 0xef53);
    EXPECT_EQ(st.value().name_length, 255);
    EXPECT_GT(st.value().blocks, st.value().free_blocks);
    EXPECT_EQ(st.value().flags, 0);
}

} // namespace
} // namespace tessera::posix::fs
