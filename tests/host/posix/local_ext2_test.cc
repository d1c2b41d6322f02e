// The disk `tessera linux --disk` gives the server: the image in memory that remembers what was
// written (TrackedDisk), the ext2 service inside the server on it (LocalExt2) and the server's
// Ext2Volume as its client. Written parts copied back into the image file must make a volume
// that e2fsck finds clean and debugfs shows the changes in, as the tool does with the frames.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "../ext2/image_tools.h"
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
protected:
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

TEST_F(LocalExt2Test, ADiskThatIsNoExt2VolumeIsRefusedWithAReason)
{
    std::fill(bytes.begin(), bytes.end(), 0);
    EXPECT_FALSE(ext2.mount(*disk, clock, arena.data(), arena.size(), window.data(), window.size()));
    EXPECT_NE(std::string(ext2.why()), "");
}

} // namespace
} // namespace tessera::posix::fs
