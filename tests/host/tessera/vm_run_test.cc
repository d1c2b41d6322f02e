// `tessera vm`'s pieces that need no QEMU: the guest bundle it writes into the VMM's image and
// the machine memory it asks the launcher for.
#include <gtest/gtest.h>

#include <cstring>

#include "guest_bundle_format.h"
#include "vm_run.h"

namespace tessera::sdf {
namespace {

constexpr uint64_t MiB = 1ull << 20;

TEST(VmMachineMemory, HoldsTheGuestTheImageTwiceAndRoomForTheSystem)
{
    EXPECT_EQ(vm_machine_memory(128 * MiB, 10 * MiB), (128 + 20 + 128) * MiB);
    // A 50 MB image with a 32 MiB guest: the image dominates.
    EXPECT_EQ(vm_machine_memory(32 * MiB, 50 * MiB), (32 + 100 + 128) * MiB);
}

TEST(VmMachineMemory, RoundsUpToWholeMebibytes)
{
    EXPECT_EQ(vm_machine_memory(128 * MiB, 1), (128 + 128 + 1) * MiB);
}

TEST(VmGuestBundle, LaysOutHeaderKernelInitrdAndCommandLine)
{
    const std::vector<uint8_t> kernel{1, 2, 3}, initrd{4, 5};
    const auto bundle = make_guest_bundle(kernel, initrd, "console=ttyS0", 64 * MiB);
    services::vmm::GuestBundleHeader header{};
    ASSERT_GE(bundle.size(), sizeof header);
    std::memcpy(&header, bundle.data(), sizeof header);
    EXPECT_EQ(std::memcmp(header.magic, services::vmm::GuestBundleMagic, sizeof header.magic), 0);
    EXPECT_EQ(header.memory_bytes, 64 * MiB);
    EXPECT_EQ(header.kernel_offset, sizeof header);
    EXPECT_EQ(header.kernel_size, 3u);
    EXPECT_EQ(header.initrd_offset, sizeof header + 3);
    EXPECT_EQ(header.initrd_size, 2u);
    EXPECT_EQ(header.command_line_size, std::strlen("console=ttyS0") + 1);
    EXPECT_EQ(bundle.size(), header.command_line_offset + header.command_line_size);
    EXPECT_EQ(bundle[header.kernel_offset + 2], 3);
    EXPECT_EQ(bundle[header.initrd_offset + 1], 5);
    EXPECT_EQ(bundle.back(), 0);
}

// The launcher's idle end waits DefaultVmIdleQuiet seconds of quiet, not its own 0.3 s, which a
// niced QEMU on a saturated machine overran between two of the VMM's wake-ups.
TEST(VmLaunchOptions, AsksForTheLongerQuietPeriodAndPassesDisksAndIcount)
{
    VmOptions options{"l.py", "k.elf", "loader.elf", "programs"};
    options.timeout = 60;
    options.disks = {"disk.img,ro"};
    const auto launch = vm_launch_options(options, "/tmp/system.elf", 300 * MiB);
    EXPECT_EQ(launch_command(launch),
              (std::vector<std::string>{"python3", "l.py", "--kernel", "k.elf", "--root-task",
                                        "/tmp/system.elf", "--timeout", "60", "--memory", "300M",
                                        "--remove", "/tmp/system.elf", "--disk", "disk.img,ro",
                                        "--idle-quiet", "10"}));
    options.idle_quiet = 2.5;
    options.icount = true;
    options.disks.clear();
    const auto counted = launch_command(vm_launch_options(options, "s.elf", 64 * MiB));
    const std::vector<std::string> tail(counted.end() - 3, counted.end());
    EXPECT_EQ(tail, (std::vector<std::string>{"--idle-quiet", "2.5", "--icount"}));
}

// The kernel's idle line, printed between the VMM's wake-ups, is not the guest's console.
TEST(VmDisks, RepeatedDisksInOrderEachWithItsOwnFlag)
{
    std::vector<VmDisk> disks;
    std::string why;
    ASSERT_TRUE(parse_vm_disks({"a.img", "b.img,ro", "/x/c.img"}, disks, why)) << why;
    ASSERT_EQ(disks.size(), 3u);
    EXPECT_EQ(disks[0].image, "a.img");
    EXPECT_FALSE(disks[0].read_only);
    EXPECT_EQ(disks[1].image, "b.img");
    EXPECT_TRUE(disks[1].read_only);
    EXPECT_EQ(disks[2].image, "/x/c.img");
    EXPECT_FALSE(disks[2].read_only);
    ASSERT_TRUE(parse_vm_disks({}, disks, why));
    EXPECT_TRUE(disks.empty());
}

TEST(VmDisks, RefusesTooManyAnEmptyImageAndUnknownFlags)
{
    std::vector<VmDisk> disks;
    std::string why;
    EXPECT_FALSE(parse_vm_disks({"a", "b", "c", "d", "e"}, disks, why));
    EXPECT_EQ(why, "at most 4 --disk images (the guest's PCI slots 1-4)");
    EXPECT_TRUE(parse_vm_disks({"a", "b", "c", "d"}, disks, why));
    EXPECT_FALSE(parse_vm_disks({",ro"}, disks, why));
    EXPECT_EQ(why, "--disk ',ro': no image");
    EXPECT_FALSE(parse_vm_disks({"a.img,iops=10"}, disks, why));
    EXPECT_EQ(why, "--disk 'a.img,iops=10': unknown flag 'iops=10' (IMAGE[,ro])");
    EXPECT_FALSE(parse_vm_disks({"a.img,rw"}, disks, why));
}

TEST(VmIdleLineFilter, DropsTheKernelsIdleLinesAndNothingElse)
{
    IdleLineFilter filter;
    EXPECT_EQ(filter.feed("guest line\n", 11), "guest line\n");
    const std::string idle = "tessera: no runnable thread: idle\r\n";
    EXPECT_EQ(filter.feed(idle.data(), idle.size()), "");
    // Byte by byte, then a guest line that starts like it and goes its own way.
    std::string shown;
    const std::string mixed = idle + "tessera: no runnable threads here\n" + idle + "# ";
    for (const char c : mixed)
        shown += filter.feed(&c, 1);
    EXPECT_EQ(shown, "tessera: no runnable threads here\n# ");
    // Inside a line the same words are the guest's.
    const std::string inside = "say tessera: no runnable thread: idle\n";
    EXPECT_EQ(filter.feed(inside.data(), inside.size()), inside);
    // A prompt with no newline shows at once; a lone LF-ended idle line goes too.
    EXPECT_EQ(filter.feed("$ ", 2), "$ ");
    const std::string lf = "\ntessera: no runnable thread: idle\nok\n";
    EXPECT_EQ(filter.feed(lf.data(), lf.size()), "\nok\n");
}

} // namespace
} // namespace tessera::sdf
