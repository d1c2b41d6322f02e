// The server's mount table (which volume a name goes to; /proc/mounts' lines) and
// /proc/meminfo's text, in the forms df, mount and free parse.
#include <gtest/gtest.h>

#include <string>

#include "core/fs/meminfo.h"
#include "core/fs/mount_table.h"

namespace tessera::posix::fs {
namespace {

TEST(MountTable, TheLongestMountPointHoldingTheNameServesIt)
{
    MountTable table;
    Volume* root = reinterpret_cast<Volume*>(0x10);
    Volume* tmp = reinterpret_cast<Volume*>(0x20);
    Volume* shm = reinterpret_cast<Volume*>(0x30);
    EXPECT_EQ(table.find("/bin/sh"), nullptr);
    ASSERT_TRUE(table.add({"/", root, "rootfs", "rootfs", "ro"}));
    ASSERT_TRUE(table.add({"/tmp", tmp, "tmpfs", "tmpfs", "rw"}));
    ASSERT_TRUE(table.add({"/dev/shm", shm, "tmpfs", "tmpfs", "rw,nosuid,nodev"}));
    EXPECT_EQ(table.find("")->volume, root);
    EXPECT_EQ(table.find("/")->volume, root);
    EXPECT_EQ(table.find("/bin/sh")->volume, root);
    EXPECT_EQ(table.find("/tmp")->volume, tmp);
    EXPECT_EQ(table.find("/tmp/a/b")->volume, tmp);
    EXPECT_EQ(table.find("/tmpfile")->volume, root);
    EXPECT_EQ(table.find("/dev/shm/x")->volume, shm);
    EXPECT_EQ(table.find("/dev/null")->volume, root);
    // A later mount at the same point hides the earlier.
    Volume* other = reinterpret_cast<Volume*>(0x40);
    ASSERT_TRUE(table.add({"/tmp", other, "tmpfs", "tmpfs", "rw"}));
    EXPECT_EQ(table.find("/tmp/x")->volume, other);
    while (table.count() < MountTable::MaxMounts)
        ASSERT_TRUE(table.add({"/mnt", root}));
    EXPECT_FALSE(table.add({"/more", root}));
}

TEST(MountTable, ProcMountsHasOneLineAMountInLinuxFormat)
{
    MountTable table;
    Volume* v = reinterpret_cast<Volume*>(0x10);
    ASSERT_TRUE(table.add({"/", v, "/dev/root", "ext2", "rw,relatime"}));
    ASSERT_TRUE(table.add({"/proc", v, "proc", "proc", "rw,nosuid,nodev,noexec,relatime"}));
    ASSERT_TRUE(table.add({"/dev/shm", v, "tmpfs", "tmpfs", "rw,nosuid,nodev"}));
    char text[512];
    const std::string expected = "/dev/root / ext2 rw,relatime 0 0\n"
                                 "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
                                 "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n";
    EXPECT_EQ(std::string(text, table.format(text, sizeof text)), expected);
    EXPECT_EQ(std::string(text, table.format(text, 10)), expected.substr(0, 10));
}

TEST(Meminfo, FiguresInKilobytesWithLinuxColumns)
{
    MemoryFigures figures;
    figures.total_pages = 24576;
    figures.free_pages = 20000;
    figures.shared_pages = 3;
    char text[1024];
    const std::string got(text, format_meminfo(figures, text, sizeof text));
    EXPECT_EQ(got.substr(0, 84), "MemTotal:          98304 kB\n"
                                 "MemFree:           80000 kB\n"
                                 "MemAvailable:      80000 kB\n");
    EXPECT_NE(got.find("\nCached:               12 kB\n"), std::string::npos);
    EXPECT_NE(got.find("\nShmem:                12 kB\n"), std::string::npos);
    EXPECT_NE(got.find("\nSwapTotal:             0 kB\n"), std::string::npos);
    EXPECT_EQ(format_meminfo(figures, text, 5), 5u);
}

} // namespace
} // namespace tessera::posix::fs
