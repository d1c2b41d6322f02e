// The memory file system behind /tmp and /dev/shm: files in the pool's frames (given back when
// the last name and the last opener go), directories, links, renames with Linux's errors, its
// page limit (ENOSPC) and what statfs reports.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/fs/memory_volume.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix::fs {
namespace {

namespace open_flag = linux::open_flag;
namespace mode = linux::mode;
using test::TestPool;

constexpr uint32_t Create = open_flag::ReadWrite | open_flag::Create;

class Names final : public EntrySink {
public:
    explicit Names(size_t room = SIZE_MAX) : room_(room) {}
    bool take(const Entry& entry) override
    {
        if (names.size() == room_)
            return false;
        names.emplace_back(entry.name);
        return true;
    }
    std::vector<std::string> names;

private:
    size_t room_;
};

class MemoryVolumeTest : public ::testing::Test {
protected:
    TestPool pool{64};
    MemoryVolume volume{"/tmp", pool, 16, 0x15, 01777};

    Handle open(const char* path, uint32_t flags = Create)
    {
        auto handle = volume.open(path, flags, 0644);
        EXPECT_TRUE(handle) << path;
        return handle ? handle.value() : Handle{};
    }
    void write_file(const char* path, const std::string& text)
    {
        const Handle h = open(path, Create | open_flag::Truncate);
        auto n = volume.write(h, 0, text.data(), text.size());
        ASSERT_TRUE(n);
        EXPECT_EQ(n.value(), text.size());
        volume.close(h);
    }
    std::string read_file(const char* path)
    {
        auto h = volume.open(path, open_flag::ReadOnly, 0);
        if (!h)
            return "<" + std::to_string(int(h.error())) + ">";
        std::string text(20000, '\0');
        auto n = volume.read(h.value(), 0, text.data(), text.size());
        volume.close(h.value());
        text.resize(n ? n.value() : 0);
        return text;
    }
    std::vector<std::string> list(const char* path)
    {
        auto h = volume.open(path, open_flag::ReadOnly | open_flag::Directory, 0);
        EXPECT_TRUE(h);
        Names names;
        uint64_t cursor = 0;
        EXPECT_TRUE(volume.list(h.value(), cursor, names));
        volume.close(h.value());
        return names.names;
    }
    Errno error_of(const Result<void>& r) { return r ? Errno(0) : r.error(); }
};

TEST_F(MemoryVolumeTest, FilesKeepTheirBytesInFramesGivenBackAtTheLastClose)
{
    auto root = volume.stat("/tmp", true);
    ASSERT_TRUE(root);
    EXPECT_EQ(root.value().mode, mode::Directory | 01777);
    EXPECT_EQ(root.value().dev, 0x15u);
    EXPECT_FALSE(volume.holds("/tmpx"));
    EXPECT_TRUE(volume.holds("/tmp/a"));

    write_file("/tmp/a", "hello");
    EXPECT_EQ(read_file("/tmp/a"), "hello");
    EXPECT_EQ(volume.pages_used(), 1u);
    EXPECT_EQ(pool.available(), 63u);

    // A write past the end leaves a hole that reads as zeros and holds no frame.
    const Handle h = open("/tmp/a", open_flag::ReadWrite);
    ASSERT_TRUE(volume.write(h, 3 * PageSize, "x", 1));
    auto st = volume.stat(h);
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().size, int64_t(3 * PageSize + 1));
    EXPECT_EQ(st.value().blocks, 16);
    char middle[4] = {1, 1, 1, 1};
    ASSERT_TRUE(volume.read(h, PageSize, middle, 4));
    EXPECT_EQ(std::string(middle, 4), std::string(4, '\0'));

    // Shrinking frees pages and zeroes the tail of the last one.
    ASSERT_TRUE(volume.truncate(h, 2));
    ASSERT_TRUE(volume.truncate(h, 5));
    EXPECT_EQ(volume.pages_used(), 1u);
    EXPECT_EQ(read_file("/tmp/a"), std::string("he\0\0\0", 5));

    // Unlinked while open: still readable through the handle; its frame goes at the close.
    ASSERT_TRUE(volume.unlink("/tmp/a"));
    EXPECT_EQ(read_file("/tmp/a"), "<2>");
    char two[2];
    auto n = volume.read(h, 0, two, 2);
    ASSERT_TRUE(n);
    EXPECT_EQ(n.value(), 2u);
    EXPECT_EQ(pool.available(), 63u);
    volume.close(h);
    EXPECT_EQ(volume.pages_used(), 0u);
    EXPECT_EQ(pool.available(), 64u);
}

TEST_F(MemoryVolumeTest, OpenAnswersAsLinuxDoes)
{
    EXPECT_EQ(volume.open("/tmp/none", open_flag::ReadOnly, 0).error(), Errno::NoEnt);
    EXPECT_EQ(volume.open("/tmp/d/x", Create, 0644).error(), Errno::NoEnt);
    write_file("/tmp/f", "data");
    EXPECT_EQ(volume.open("/tmp/f", Create | open_flag::Exclusive, 0644).error(), Errno::Exist);
    EXPECT_EQ(volume.open("/tmp/f", open_flag::Directory, 0).error(), Errno::NotDir);
    EXPECT_EQ(volume.open("/tmp/f/x", open_flag::ReadOnly, 0).error(), Errno::NotDir);
    EXPECT_EQ(volume.open("/tmp", open_flag::WriteOnly, 0).error(), Errno::IsDir);
    EXPECT_EQ(volume.open("/elsewhere", open_flag::ReadOnly, 0).error(), Errno::NoEnt);
    const Handle h = open("/tmp/f", open_flag::WriteOnly | open_flag::Truncate);
    volume.close(h);
    EXPECT_EQ(read_file("/tmp/f"), "");
    auto st = volume.stat("/tmp/f", true);
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().mode, mode::Regular | 0644);
    EXPECT_EQ(st.value().nlink, 1u);
    EXPECT_EQ(volume.open(("/tmp/" + std::string(256, 'n')).c_str(), Create, 0644).error(),
              Errno::NameTooLong);
}

TEST_F(MemoryVolumeTest, DirectoriesListAndRemoveWithTheirErrors)
{
    ASSERT_TRUE(volume.make_directory("/tmp/d", 0755));
    EXPECT_EQ(error_of(volume.make_directory("/tmp/d", 0755)), Errno::Exist);
    EXPECT_EQ(error_of(volume.make_directory("/tmp", 0755)), Errno::Exist);
    write_file("/tmp/d/one", "1");
    write_file("/tmp/d/two", "2");
    EXPECT_EQ(list("/tmp/d"), (std::vector<std::string>{".", "..", "one", "two"}));
    EXPECT_EQ(list("/tmp"), (std::vector<std::string>{".", "..", "d"}));
    EXPECT_EQ(volume.stat("/tmp", true).value().nlink, 3u);
    EXPECT_EQ(error_of(volume.remove_directory("/tmp/d")), Errno::NotEmpty);
    EXPECT_EQ(error_of(volume.remove_directory("/tmp/d/one")), Errno::NotDir);
    EXPECT_EQ(error_of(volume.remove_directory("/tmp")), Errno::Busy);
    EXPECT_EQ(error_of(volume.unlink("/tmp/d")), Errno::IsDir);
    EXPECT_EQ(error_of(volume.unlink("/tmp/d/three")), Errno::NoEnt);

    // A listing interrupted after one entry resumes with the next, even after an unlink (rm -r).
    auto h = volume.open("/tmp/d", open_flag::ReadOnly, 0);
    ASSERT_TRUE(h);
    uint64_t cursor = 0;
    Names first(3);
    ASSERT_TRUE(volume.list(h.value(), cursor, first));
    EXPECT_EQ(first.names.back(), "one");
    ASSERT_TRUE(volume.unlink("/tmp/d/one"));
    Names rest;
    ASSERT_TRUE(volume.list(h.value(), cursor, rest));
    EXPECT_EQ(rest.names, (std::vector<std::string>{"two"}));
    volume.close(h.value());

    ASSERT_TRUE(volume.unlink("/tmp/d/two"));
    ASSERT_TRUE(volume.remove_directory("/tmp/d"));
    EXPECT_EQ(list("/tmp"), (std::vector<std::string>{".", ".."}));
    EXPECT_EQ(volume.stat("/tmp", true).value().nlink, 2u);
}

TEST_F(MemoryVolumeTest, RenameAndLinkFollowLinuxRules)
{
    write_file("/tmp/a", "A");
    write_file("/tmp/b", "B");
    ASSERT_TRUE(volume.make_directory("/tmp/d", 0755));
    ASSERT_TRUE(volume.make_directory("/tmp/e", 0755));
    write_file("/tmp/e/x", "x");

    ASSERT_TRUE(volume.rename("/tmp/a", "/tmp/b")); // replaces b
    EXPECT_EQ(read_file("/tmp/b"), "A");
    EXPECT_EQ(read_file("/tmp/a"), "<2>");
    EXPECT_EQ(volume.pages_used(), 2u); // b's old page went back
    EXPECT_EQ(error_of(volume.rename("/tmp/b", "/tmp/d")), Errno::IsDir);
    EXPECT_EQ(error_of(volume.rename("/tmp/d", "/tmp/b")), Errno::NotDir);
    EXPECT_EQ(error_of(volume.rename("/tmp/d", "/tmp/e")), Errno::NotEmpty);
    EXPECT_EQ(error_of(volume.rename("/tmp/d", "/tmp/d/sub")), Errno::Inval);
    EXPECT_EQ(error_of(volume.rename("/tmp/none", "/tmp/z")), Errno::NoEnt);
    EXPECT_EQ(error_of(volume.rename("/tmp", "/tmp/z")), Errno::Busy);
    ASSERT_TRUE(volume.rename("/tmp/e", "/tmp/d/e")); // a directory moves with its contents
    EXPECT_EQ(read_file("/tmp/d/e/x"), "x");
    EXPECT_EQ(volume.stat("/tmp/d", true).value().nlink, 3u);
    EXPECT_EQ(volume.stat("/tmp", true).value().nlink, 3u);
    ASSERT_TRUE(volume.rename("/tmp/b", "/tmp/b")); // onto itself: nothing

    ASSERT_TRUE(volume.link("/tmp/b", "/tmp/c"));
    EXPECT_EQ(volume.stat("/tmp/b", true).value().nlink, 2u);
    EXPECT_EQ(volume.stat("/tmp/c", true).value().ino, volume.stat("/tmp/b", true).value().ino);
    EXPECT_EQ(error_of(volume.link("/tmp/b", "/tmp/c")), Errno::Exist);
    EXPECT_EQ(error_of(volume.link("/tmp/d", "/tmp/dd")), Errno::Perm);
    ASSERT_TRUE(volume.unlink("/tmp/b"));
    EXPECT_EQ(read_file("/tmp/c"), "A");
}

TEST_F(MemoryVolumeTest, SymbolicLinksResolveInsideTheVolume)
{
    ASSERT_TRUE(volume.make_directory("/tmp/d", 0755));
    write_file("/tmp/d/f", "file");
    ASSERT_TRUE(volume.symlink("d/f", "/tmp/rel"));
    ASSERT_TRUE(volume.symlink("/tmp/d", "/tmp/abs"));
    ASSERT_TRUE(volume.symlink("/bin/busybox", "/tmp/out"));
    ASSERT_TRUE(volume.symlink("loop", "/tmp/loop"));
    EXPECT_EQ(read_file("/tmp/rel"), "file");
    EXPECT_EQ(read_file("/tmp/abs/f"), "file");
    EXPECT_EQ(read_file("/tmp/out"), "<2>");
    EXPECT_EQ(volume.open("/tmp/loop", open_flag::ReadOnly, 0).error(), Errno::Loop);
    EXPECT_EQ(volume.open("/tmp/rel", open_flag::ReadOnly | open_flag::NoFollow, 0).error(), Errno::Loop);
    char target[64];
    auto n = volume.read_link("/tmp/out", target, sizeof target);
    ASSERT_TRUE(n);
    EXPECT_EQ(std::string(target, n.value()), "/bin/busybox");
    EXPECT_EQ(volume.read_link("/tmp/d", target, sizeof target).error(), Errno::Inval);
    EXPECT_EQ(volume.stat("/tmp/rel", false).value().mode, mode::Symlink | 0777);
    EXPECT_EQ(volume.stat("/tmp/rel", true).value().mode, mode::Regular | 0644);
    EXPECT_EQ(error_of(volume.symlink("x", "/tmp/rel")), Errno::Exist);
    // O_CREAT through a dangling link makes its target.
    ASSERT_TRUE(volume.symlink("d/new", "/tmp/dangling"));
    write_file("/tmp/dangling", "made");
    EXPECT_EQ(read_file("/tmp/d/new"), "made");
    // Links hold their target in a page; removing them gives it back.
    const size_t before = volume.pages_used();
    ASSERT_TRUE(volume.unlink("/tmp/loop"));
    EXPECT_EQ(volume.pages_used(), before - 1);
}

// Names that leave the volume are ENOENT to its own calls; `leaves` says where they go on: an
// absolute target outside, ".." above the root (the mount point's parent), through links in the
// middle or at the end (only when following), the rest of the name kept after.
TEST_F(MemoryVolumeTest, NamesThatLeaveTheVolumeSayWhereTheyGo)
{
    ASSERT_TRUE(volume.make_directory("/tmp/d", 0755));
    write_file("/tmp/d/f", "file");
    ASSERT_TRUE(volume.symlink("/bin", "/tmp/bin"));
    ASSERT_TRUE(volume.symlink("../../..", "/tmp/d/up"));
    ASSERT_TRUE(volume.symlink("..", "/tmp/parent"));
    ASSERT_TRUE(volume.symlink("d/../../tmp/d/f", "/tmp/back"));
    ASSERT_TRUE(volume.symlink("/tmp/d/f", "/tmp/inside"));
    ASSERT_TRUE(volume.symlink("d/up/etc", "/tmp/chain"));
    char out[256];
    auto leaves = [&](const char* path, bool follow) -> std::string {
        return volume.leaves(path, follow, out) ? std::string(out) : std::string("<stays>");
    };
    EXPECT_EQ(leaves("/tmp/bin/busybox", false), "/bin/busybox");
    EXPECT_EQ(leaves("/tmp/bin", true), "/bin");
    EXPECT_EQ(leaves("/tmp/bin", false), "<stays>") << "the link itself, not followed";
    EXPECT_EQ(leaves("/tmp/parent/bin/sh", false), "/bin/sh");
    EXPECT_EQ(leaves("/tmp/d/up/x", false), "/../x") << "folded by the server";
    EXPECT_EQ(leaves("/tmp/back", true), "/tmp/d/f") << "out and back in: the server comes back";
    EXPECT_EQ(leaves("/tmp/chain/passwd", false), "/../etc/passwd");
    EXPECT_EQ(leaves("/tmp/inside", true), "<stays>");
    EXPECT_EQ(leaves("/tmp/d/f", true), "<stays>");
    EXPECT_EQ(leaves("/tmp/missing/x", true), "<stays>");
    EXPECT_EQ(leaves("/elsewhere", true), "<stays>");
    // The volume's own calls never follow them out, nor clamp ".." at its root.
    EXPECT_EQ(read_file("/tmp/parent/tmp/d/f"), "<2>");
    EXPECT_EQ(read_file("/tmp/bin/busybox"), "<2>");
    EXPECT_EQ(read_file("/tmp/inside"), "file");
    // A volume below another mount point goes up to that one's name.
    MemoryVolume shm{"/dev/shm", pool, 4, 0x16, 01777};
    ASSERT_TRUE(shm.symlink("..", "/dev/shm/dev"));
    EXPECT_TRUE(shm.leaves("/dev/shm/dev/null", false, out));
    EXPECT_EQ(std::string(out), "/dev/null");
}

TEST_F(MemoryVolumeTest, ThePageLimitIsNoSpaceAndStatfsReportsIt)
{
    std::string big(20 * PageSize, 'z');
    const Handle h = open("/tmp/big");
    auto n = volume.write(h, 0, big.data(), big.size());
    ASSERT_TRUE(n);
    EXPECT_EQ(n.value(), 16 * PageSize); // a short write up to the limit
    EXPECT_EQ(volume.stat(h).value().size, int64_t(16 * PageSize));
    EXPECT_EQ(volume.write(h, 16 * PageSize, "z", 1).error(), Errno::NoSpc);
    auto st = volume.statfs();
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().type, MemoryVolume::Magic);
    EXPECT_EQ(st.value().blocks, 16u);
    EXPECT_EQ(st.value().free_blocks, 0u);
    EXPECT_EQ(st.value().block_size, int64_t(PageSize));
    ASSERT_TRUE(volume.truncate(h, 0));
    volume.close(h);
    EXPECT_EQ(volume.statfs().value().free_blocks, 16u);
    EXPECT_EQ(error_of(volume.remove_directory("/tmp/big")), Errno::NotDir);
}

TEST_F(MemoryVolumeTest, AttributesChange)
{
    write_file("/tmp/f", "x");
    ASSERT_TRUE(volume.change_mode("/tmp/f", 04700));
    EXPECT_EQ(volume.stat("/tmp/f", true).value().mode, mode::Regular | 04700);
    const Handle h = open("/tmp/f", open_flag::ReadOnly);
    AttributeChange change;
    change.set_owner = change.set_group = change.set_modification = true;
    change.owner = 1000;
    change.group = 100;
    change.modification = {1234, 5};
    ASSERT_TRUE(volume.set_attributes(h, change));
    auto st = volume.stat(h);
    ASSERT_TRUE(st);
    EXPECT_EQ(st.value().uid, 1000u);
    EXPECT_EQ(st.value().gid, 100u);
    EXPECT_EQ(st.value().mtime.seconds, 1234);
    volume.close(h);
}

} // namespace
} // namespace tessera::posix::fs
