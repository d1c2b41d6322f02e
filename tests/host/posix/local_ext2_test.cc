// The disk `tessera linux --disk` gives the server: the image in memory that remembers what was
// written (TrackedDisk), the ext2 service inside the server on it (LocalExt2) and the server's
// Ext2Volume as its client. Written parts copied back into the image file must make a volume
// that e2fsck finds clean and debugfs shows the changes in, as the tool does with the frames.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "../ext2/image_tools.h"
#include "core/fs/durable_volume.h"
#include "core/fs/ext2_volume.h"
#include "core/fs/tracked_disk.h"
#include "linux/constants.h"
#include "server/local_ext2.h"

namespace tessera::posix::fs {
namespace {

namespace open_flag = linux::open_flag;

TEST(TrackedDisk, MarksEveryGranuleAWriteTouches)
{
    std::vector<uint8_t> bytes(8 * 1024), marks(TrackedDisk::marks_bytes_for(bytes.size()), 0xff);
    TrackedDisk disk(bytes.data(), bytes.size(), marks.data());
    uint64_t offset = 0, length = 0;
    EXPECT_FALSE(disk.next_written(0, offset, length)); // the constructor cleared the marks
    const uint8_t data[1500] = {7};
    ASSERT_TRUE(disk.write(1024 + 100, data, sizeof data));
    ASSERT_TRUE(disk.write(6 * 1024, data, 1024));
    ASSERT_TRUE(disk.next_written(0, offset, length));
    EXPECT_EQ(offset, 1024u);
    EXPECT_EQ(length, 2048u); // 1124 .. 2624 touches granules 1 and 2
    ASSERT_TRUE(disk.next_written(offset + length, offset, length));
    EXPECT_EQ(offset, 6 * 1024u);
    EXPECT_EQ(length, 1024u);
    EXPECT_FALSE(disk.next_written(offset + length, offset, length));
    EXPECT_EQ(bytes[1124], 7);
}

TEST(TrackedDisk, RefusesAccessPastItsEndAndMarksNothingThen)
{
    std::vector<uint8_t> bytes(4096), marks(TrackedDisk::marks_bytes_for(bytes.size()));
    TrackedDisk disk(bytes.data(), bytes.size(), marks.data());
    uint8_t buffer[1024] = {};
    EXPECT_FALSE(disk.write(4096 - 512, buffer, sizeof buffer));
    EXPECT_FALSE(disk.read(~uint64_t(0) - 10, buffer, sizeof buffer));
    uint64_t offset = 0, length = 0;
    EXPECT_FALSE(disk.next_written(0, offset, length));
}

TEST(TrackedDisk, AWriteAtTheLastGranuleOfAnOddSizeEndsAtTheDisksEnd)
{
    std::vector<uint8_t> bytes(2048 + 512), marks(TrackedDisk::marks_bytes_for(bytes.size()));
    TrackedDisk disk(bytes.data(), bytes.size(), marks.data());
    const uint8_t data[512] = {};
    ASSERT_TRUE(disk.write(2048, data, sizeof data));
    uint64_t offset = 0, length = 0;
    ASSERT_TRUE(disk.next_written(0, offset, length));
    EXPECT_EQ(offset, 2048u);
    EXPECT_EQ(length, 512u);
}

class FixedClock final : public tessera::ext2::Clock {
public:
    tessera::ext2::Timestamp now() override { return {1'800'000'000, 0}; }
};

class LocalExt2Test : public ::testing::Test {
public: // the committer below writes back as the tool does

    void SetUp() override
    {
        const auto tree = scratch / "tree";
        std::filesystem::create_directories(tree / "etc");
        std::ofstream(tree / "etc" / "motd") << "hello from the disk\n";
        ext2::test::make_image(scratch / "image", 16384, "", tree);
        bytes = ext2::test::read_file(scratch / "image");
        marks.resize(TrackedDisk::marks_bytes_for(bytes.size()));
        disk.emplace(bytes.data(), bytes.size(), marks.data());
        arena.resize(4 << 20);
        window.resize(64 << 10);
    }

    // What the tool does with the server's disk frames: the written parts into the image file.
    void write_back()
    {
        std::fstream image(scratch / "image", std::ios::in | std::ios::out | std::ios::binary);
        uint64_t offset = 0, length = 0;
        for (uint64_t from = 0; disk->next_written(from, offset, length); from = offset + length) {
            image.seekp(std::streamoff(offset));
            image.write(reinterpret_cast<const char*>(bytes.data() + offset), std::streamsize(length));
        }
    }

    ext2::test::ScratchDir scratch;
    std::vector<uint8_t> bytes, marks, arena, window;
    std::optional<TrackedDisk> disk;
    FixedClock clock;
    server::LocalExt2 ext2;
};

TEST_F(LocalExt2Test, ServesTheImagesFilesThroughTheVolume)
{
    ASSERT_TRUE(ext2.mount(*disk, clock, arena.data(), arena.size(), window.data(), window.size()))
        << ext2.why();
    Ext2Volume volume(ext2.connection());
    Result<Handle> file = volume.open("/etc/motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    char text[64] = {};
    Result<size_t> read = volume.read(file.value(), 0, text, sizeof text);
    ASSERT_TRUE(read);
    EXPECT_EQ(std::string(text, read.value()), "hello from the disk\n");
    volume.close(file.value());
    uint64_t offset = 0, length = 0;
    EXPECT_FALSE(disk->next_written(0, offset, length)) << "reading wrote at " << offset;
}

TEST_F(LocalExt2Test, TheRootIsADirectoryByEveryName)
{
    ASSERT_TRUE(ext2.mount(*disk, clock, arena.data(), arena.size(), window.data(), window.size()))
        << ext2.why();
    Ext2Volume volume(ext2.connection());
    // "" is the server's folded "/".
    for (const char* name : {"/", ""})
        for (bool follow : {true, false}) {
        Result<linux::Stat> st = volume.stat(name, follow);
        ASSERT_TRUE(st) << "follow " << follow << ": " << int(st.error());
        EXPECT_EQ(st.value().mode & linux::mode::TypeMask, linux::mode::Directory);
    }
    for (const char* name : {"/", ""}) {
        Result<Handle> root = volume.open(name, open_flag::ReadOnly | open_flag::Directory, 0);
        ASSERT_TRUE(root) << int(root.error());
        volume.close(root.value());
    }
}

TEST_F(LocalExt2Test, ChangesWrittenBackLeaveACleanVolumeHoldingThem)
{
    ASSERT_TRUE(ext2.mount(*disk, clock, arena.data(), arena.size(), window.data(), window.size()))
        << ext2.why();
    Ext2Volume volume(ext2.connection());
    ASSERT_TRUE(volume.make_directory("/made", 0755));
    Result<Handle> file = volume.open("/made/note", open_flag::WriteOnly | open_flag::Create, 0644);
    ASSERT_TRUE(file);
    const std::string text(10000, 'n');
    ASSERT_TRUE(volume.write(file.value(), 0, text.data(), text.size()));
    volume.close(file.value());
    ASSERT_TRUE(volume.unlink("/etc/motd"));
    ASSERT_TRUE(volume.sync());
    write_back();
    const ext2::test::CommandResult check = ext2::test::check_image(scratch / "image");
    EXPECT_EQ(check.status, 0) << check.output;
    const ext2::test::CommandResult listing = ext2::test::debugfs(scratch / "image", "ls -l /made");
    EXPECT_NE(listing.output.find("10000"), std::string::npos) << listing.output;
    EXPECT_NE(listing.output.find("note"), std::string::npos) << listing.output;
    const ext2::test::CommandResult etc = ext2::test::debugfs(scratch / "image", "ls /etc");
    EXPECT_EQ(etc.output.find("motd"), std::string::npos) << etc.output;
}

// The server's committer as the tool sees it: each commit copies the written parts into the
// image file and forgets them; what was never committed never reaches the file.
class ImageCommitter final : public Committer {
public:
    explicit ImageCommitter(LocalExt2Test& test) : test_(test) {}
    Result<void> commit() override
    {
        ++commits;
        test_.write_back();
        test_.disk->forget_written();
        return {};
    }
    int commits = 0;

private:
    LocalExt2Test& test_;
};

class DurableVolumeTest : public LocalExt2Test {
protected:
    void SetUp() override
    {
        LocalExt2Test::SetUp();
        ASSERT_TRUE(ext2.mount(*disk, clock, arena.data(), arena.size(), window.data(), window.size()))
            << ext2.why();
        inner.emplace(ext2.connection());
        durable.emplace(*inner, committer);
    }
    // debugfs's answer without its banner line.
    std::string on_image(const std::string& command)
    {
        std::string out = ext2::test::debugfs(scratch / "image", command).output;
        if (out.rfind("debugfs ", 0) == 0)
            out.erase(0, out.find('\n') + 1);
        return out;
    }
    ImageCommitter committer{*this};
    std::optional<Ext2Volume> inner;
    std::optional<DurableVolume> durable;
};

TEST_F(DurableVolumeTest, AClosedFileIsOnTheImageWithoutASyncAndTheImageIsClean)
{
    Result<Handle> file = durable->open("/kept", open_flag::WriteOnly | open_flag::Create, 0644);
    ASSERT_TRUE(file);
    EXPECT_EQ(committer.commits, 1); // the name is made durable at once
    ASSERT_TRUE(durable->write(file.value(), 0, "kept\n", 5));
    EXPECT_EQ(committer.commits, 1); // small data waits for close
    EXPECT_EQ(on_image("cat /kept"), "");
    durable->close(file.value());
    EXPECT_EQ(committer.commits, 2);
    // No sync, no end of the server: the image is what a killed system leaves.
    EXPECT_EQ(on_image("cat /kept"), "kept\n");
    const ext2::test::CommandResult check = ext2::test::check_image(scratch / "image");
    EXPECT_EQ(check.status, 0) << check.output;
}

TEST_F(DurableVolumeTest, NamesAndAttributesAreDurableWhenTheCallReturns)
{
    ASSERT_TRUE(durable->make_directory("/d", 0755));
    ASSERT_TRUE(durable->symlink("/etc/motd", "/d/link"));
    ASSERT_TRUE(durable->rename("/etc/motd", "/etc/moved"));
    ASSERT_TRUE(durable->change_mode("/etc/moved", 0600));
    EXPECT_EQ(committer.commits, 4);
    EXPECT_NE(on_image("ls /d").find("link"), std::string::npos);
    EXPECT_NE(on_image("stat /etc/moved").find("Mode:  0600"), std::string::npos)
        << on_image("stat /etc/moved");
    ASSERT_TRUE(durable->unlink("/d/link"));
    ASSERT_TRUE(durable->remove_directory("/d"));
    EXPECT_EQ(on_image("ls /").find(" d "), std::string::npos) << on_image("ls /");
    const ext2::test::CommandResult check = ext2::test::check_image(scratch / "image");
    EXPECT_EQ(check.status, 0) << check.output;
}

TEST_F(DurableVolumeTest, AFileKeptOpenReachesTheImageEveryWriteBackBytes)
{
    Result<Handle> file = durable->open("/big", open_flag::WriteOnly | open_flag::Create, 0644);
    ASSERT_TRUE(file);
    const int before = committer.commits;
    const std::string chunk(4096, 'b');
    uint64_t offset = 0;
    while (offset < DurableVolume::WriteBackBytes - chunk.size()) {
        ASSERT_TRUE(durable->write(file.value(), offset, chunk.data(), chunk.size()));
        offset += chunk.size();
    }
    EXPECT_EQ(committer.commits, before);
    ASSERT_TRUE(durable->write(file.value(), offset, chunk.data(), chunk.size()));
    EXPECT_EQ(committer.commits, before + 1);
    EXPECT_NE(on_image("stat /big").find("Size: 262144"), std::string::npos) << on_image("stat /big");
    const ext2::test::CommandResult check = ext2::test::check_image(scratch / "image");
    EXPECT_EQ(check.status, 0) << check.output;
    durable->close(file.value());
}

TEST_F(DurableVolumeTest, ReadingCommitsNothingAndSyncCommitsOnce)
{
    Result<Handle> file = durable->open("/etc/motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    char text[32];
    ASSERT_TRUE(durable->read(file.value(), 0, text, sizeof text));
    durable->close(file.value());
    EXPECT_EQ(committer.commits, 0);
    ASSERT_TRUE(durable->sync());
    EXPECT_EQ(committer.commits, 1);
}

TEST_F(DurableVolumeTest, OwnerGroupAndModeGoToTheInode)
{
    Result<Handle> file = durable->open("/etc/motd", open_flag::ReadOnly, 0);
    ASSERT_TRUE(file);
    AttributeChange change;
    change.set_owner = change.set_group = change.set_mode = true;
    change.owner = 1000;
    change.group = 70000; // above 16 bits: ext2's high half
    change.mode = 04751;
    ASSERT_TRUE(durable->set_attributes(file.value(), change));
    Result<linux::Stat> st = durable->stat(file.value());
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().uid, 1000u);
    EXPECT_EQ(st.value().gid, 70000u);
    EXPECT_EQ(st.value().mode, linux::mode::Regular | 04751);
    durable->close(file.value());
    const std::string on_disk = on_image("stat /etc/motd");
    EXPECT_NE(on_disk.find("User:  1000"), std::string::npos) << on_disk;
    EXPECT_NE(on_disk.find("Group: 70000"), std::string::npos) << on_disk;
    EXPECT_NE(on_disk.find("Mode:  04751"), std::string::npos) << on_disk;
}

TEST_F(LocalExt2Test, ADiskThatIsNoExt2VolumeIsRefusedWithAReason)
{
    std::fill(bytes.begin(), bytes.end(), 0);
    EXPECT_FALSE(ext2.mount(*disk, clock, arena.data(), arena.size(), window.data(), window.size()));
    EXPECT_NE(std::string(ext2.why()), "");
}

} // namespace
} // namespace tessera::posix::fs
