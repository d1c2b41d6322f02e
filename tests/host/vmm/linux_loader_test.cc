// Loading Linux into guest RAM: where the kernel, initrd and command line land, what boot_params
// and the e820 map say, the page tables the 64-bit entry runs on, and the refusals when something
// does not fit. Debian's kernel is checked too when TESSERA_GUEST_KERNEL names it.
#include "fake_bzimage.h"
#include "guest_paging.h"
#include "linux_loader.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <string>

namespace tessera::services::vmm {
namespace {

using test::FakeBzImageFields;
using test::make_fake_bzimage;
using test::payload_byte;

constexpr uint64_t MiB = 1ull << 20;

template <class T> T load_le(const std::vector<uint8_t>& ram, uint64_t address)
{
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        value |= static_cast<T>(static_cast<T>(ram[address + i]) << (8 * i));
    return value;
}

// Translates a guest-virtual address through the page tables in `ram`, as the CPU would with
// 2 MiB pages; returns ~0 when unmapped.
uint64_t translate(const std::vector<uint8_t>& ram, uint64_t cr3, uint64_t virt)
{
    uint64_t pml4e = load_le<uint64_t>(ram, cr3 + ((virt >> 39) & 511) * 8);
    if ((pml4e & 1) == 0)
        return ~0ull;
    uint64_t pdpte = load_le<uint64_t>(ram, (pml4e & ~0xfffull) + ((virt >> 30) & 511) * 8);
    if ((pdpte & 1) == 0)
        return ~0ull;
    uint64_t pde = load_le<uint64_t>(ram, (pdpte & ~0xfffull) + ((virt >> 21) & 511) * 8);
    if ((pde & 1) == 0 || (pde & 0x80) == 0)
        return ~0ull;
    return (pde & ~(2 * MiB - 1)) + (virt & (2 * MiB - 1));
}

struct LoaderFixture : ::testing::Test {
    std::vector<uint8_t> kernel = make_fake_bzimage();
    std::vector<uint8_t> initrd = std::vector<uint8_t>(3 * MiB + 123, 0x5a);
    std::string command_line = "console=ttyS0 rdinit=/init";

    LinuxBootFiles files()
    {
        return LinuxBootFiles{ImageBytes{kernel.data(), kernel.size()},
                              ImageBytes{initrd.data(), initrd.size()}, command_line.c_str(),
                              0xe0000};
    }
};

TEST_F(LoaderFixture, PlansKernelAtItsPreferredAddressAndInitrdAtTheTop)
{
    auto plan = plan_linux_boot(files(), 256 * MiB);
    ASSERT_TRUE(plan) << plan.error().what;
    EXPECT_EQ(plan.value().kernel_address, 16 * MiB);
    EXPECT_EQ(plan.value().entry_rip, 16 * MiB + 0x200);
    EXPECT_EQ(plan.value().entry_rsi, guest_layout::ZeroPage);
    EXPECT_EQ(plan.value().initrd_bytes, initrd.size());
    EXPECT_EQ(plan.value().initrd_address % 4096, 0u);
    EXPECT_LE(plan.value().initrd_address + initrd.size(), 256 * MiB);
    EXPECT_GT(plan.value().initrd_address + initrd.size() + 4096, 256 * MiB);
    EXPECT_EQ(plan.value().command_line_bytes, command_line.size() + 1);
}

TEST_F(LoaderFixture, KeepsTheInitrdBelowInitrdAddrMax)
{
    FakeBzImageFields fields;
    fields.initrd_addr_max = 64 * MiB - 1;
    kernel = make_fake_bzimage(fields);
    auto plan = plan_linux_boot(files(), 256 * MiB);
    ASSERT_TRUE(plan) << plan.error().what;
    EXPECT_LE(plan.value().initrd_address + initrd.size(), 64 * MiB);
}

TEST_F(LoaderFixture, DescribesRamAndTheBiosHoleInE820)
{
    auto plan = plan_linux_boot(files(), 256 * MiB);
    ASSERT_TRUE(plan);
    const LinuxBootPlan& p = plan.value();
    ASSERT_EQ(p.e820_count, 4u);
    EXPECT_EQ(p.e820[0].address, 0u);
    EXPECT_EQ(p.e820[0].size, 0x9fc00u);
    EXPECT_EQ(p.e820[0].type, E820Type::Ram);
    EXPECT_EQ(p.e820[2].address, 0xe0000u);
    EXPECT_EQ(p.e820[2].type, E820Type::Reserved);
    EXPECT_EQ(p.e820[3].address, 1 * MiB);
    EXPECT_EQ(p.e820[3].size, 255 * MiB);
    EXPECT_EQ(p.e820[3].type, E820Type::Ram);
}

TEST_F(LoaderFixture, RefusesAnInitrdThatDoesNotFit)
{
    initrd.assign(60 * MiB, 0); // RAM 64 MiB, kernel 16..24 MiB
    auto plan = plan_linux_boot(files(), 64 * MiB);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code, seL4_NotEnoughMemory);
    EXPECT_NE(std::string(plan.error().what).find("initrd does not fit"), std::string::npos);
    initrd.assign(40 * MiB, 0); // fills 24..64 MiB exactly
    EXPECT_TRUE(plan_linux_boot(files(), 64 * MiB));
    initrd.assign(40 * MiB + 1, 0);
    EXPECT_FALSE(plan_linux_boot(files(), 64 * MiB));
}

TEST_F(LoaderFixture, RefusesAKernelThatDoesNotFit)
{
    FakeBzImageFields fields;
    fields.init_size = 40 * MiB;
    kernel = make_fake_bzimage(fields);
    initrd.clear();
    auto plan = plan_linux_boot(files(), 32 * MiB);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code, seL4_NotEnoughMemory);
    EXPECT_NE(std::string(plan.error().what).find("kernel does not fit"), std::string::npos);
}

TEST_F(LoaderFixture, RefusesRamSizesOutsideTheSupportedRange)
{
    EXPECT_FALSE(plan_linux_boot(files(), 16 * MiB));
    EXPECT_FALSE(plan_linux_boot(files(), 4096ull * MiB));
    EXPECT_FALSE(plan_linux_boot(files(), 256 * MiB + 1));
    EXPECT_TRUE(plan_linux_boot(files(), 3072 * MiB));
}

TEST_F(LoaderFixture, RefusesACommandLineLongerThanTheKernelAccepts)
{
    command_line.assign(2047, 'x');
    EXPECT_TRUE(plan_linux_boot(files(), 256 * MiB));
    command_line.assign(2048, 'x');
    auto plan = plan_linux_boot(files(), 256 * MiB);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code, seL4_InvalidArgument);
}

TEST_F(LoaderFixture, RefusesABadKernelWithTheParsersReason)
{
    kernel.pop_back();
    auto plan = plan_linux_boot(files(), 256 * MiB);
    ASSERT_FALSE(plan);
    EXPECT_NE(std::string(plan.error().what).find("truncated"), std::string::npos);
}

TEST_F(LoaderFixture, WritesBootParamsAsTheProtocolDescribes)
{
    auto plan = plan_linux_boot(files(), 64 * MiB);
    ASSERT_TRUE(plan);
    std::vector<uint8_t> ram(64 * MiB, 0xcc);
    write_linux_boot(plan.value(), files(), GuestRam{ram.data(), ram.size()});

    const uint64_t zp = guest_layout::ZeroPage;
    // The setup header is copied at its own offsets, then the loader's fields are filled in.
    EXPECT_EQ(load_le<uint32_t>(ram, zp + 0x202), 0x53726448u);
    EXPECT_EQ(load_le<uint16_t>(ram, zp + 0x206), 0x020fu);
    EXPECT_EQ(ram[zp + 0x210], 0xff);
    EXPECT_EQ(load_le<uint32_t>(ram, zp + 0x218), plan.value().initrd_address);
    EXPECT_EQ(load_le<uint32_t>(ram, zp + 0x21c), initrd.size());
    EXPECT_EQ(load_le<uint32_t>(ram, zp + 0x228), guest_layout::CommandLine);
    EXPECT_EQ(load_le<uint64_t>(ram, zp + 0x070), 0xe0000u);
    // Outside the header and the fields we set, boot_params is zero.
    EXPECT_EQ(load_le<uint64_t>(ram, zp + 0x000), 0u);
    EXPECT_EQ(load_le<uint32_t>(ram, zp + 0x0c0), 0u);
    // e820: 4 entries of 20 bytes at 0x2d0.
    EXPECT_EQ(ram[zp + 0x1e8], 4);
    EXPECT_EQ(load_le<uint64_t>(ram, zp + 0x2d0 + 3 * 20), 1 * MiB);
    EXPECT_EQ(load_le<uint64_t>(ram, zp + 0x2d0 + 3 * 20 + 8), 63 * MiB);
    EXPECT_EQ(load_le<uint32_t>(ram, zp + 0x2d0 + 3 * 20 + 16), 1u);
    EXPECT_EQ(ram[zp + 0x2d0 + 4 * 20], 0);

    std::string line(reinterpret_cast<const char*>(&ram[guest_layout::CommandLine]));
    EXPECT_EQ(line, command_line);
    for (uint64_t i : {0ull, 1ull, 4095ull, 64ull * 1024 - 1})
        EXPECT_EQ(ram[16 * MiB + i], payload_byte(i)) << i;
    EXPECT_EQ(ram[plan.value().initrd_address], 0x5a);
    EXPECT_EQ(ram[plan.value().initrd_address + initrd.size() - 1], 0x5a);
}

TEST_F(LoaderFixture, IdentityMapsTheFirstFourGibibytesForThe64BitEntry)
{
    auto plan = plan_linux_boot(files(), 64 * MiB);
    ASSERT_TRUE(plan);
    std::vector<uint8_t> ram(64 * MiB, 0xcc);
    write_linux_boot(plan.value(), files(), GuestRam{ram.data(), ram.size()});
    uint64_t cr3 = plan.value().entry_cr3;
    for (uint64_t address :
         {uint64_t{0}, guest_layout::ZeroPage, plan.value().entry_rip, plan.value().initrd_address,
          uint64_t{0xfee00000}, (uint64_t{4} << 30) - 1})
        EXPECT_EQ(translate(ram, cr3, address), address) << std::hex << address;
    EXPECT_EQ(translate(ram, cr3, 4ull << 30), ~0ull);
    // The VMM's own walker agrees, in the mode the VCPU starts in (PG, PAE, LMA).
    GuestPagingState entry{(1ull << 31) | 1, cr3, 1ull << 5, 1ull << 10};
    auto walked =
        translate_guest_virtual(entry, GuestRam{ram.data(), ram.size()}, plan.value().entry_rip);
    ASSERT_TRUE(walked) << walked.error().what;
    EXPECT_EQ(walked.value(), plan.value().entry_rip);
    // The boot GDT: a 64-bit code segment at __BOOT_CS and a data segment at __BOOT_DS.
    uint64_t code = load_le<uint64_t>(ram, guest_layout::Gdt + guest_layout::BootCodeSelector);
    EXPECT_EQ((code >> 53) & 1, 1u); // L
    EXPECT_EQ((code >> 47) & 1, 1u); // P
    uint64_t data = load_le<uint64_t>(ram, guest_layout::Gdt + guest_layout::BootDataSelector);
    EXPECT_EQ((data >> 41) & 1, 1u); // writable
}

TEST(DebianKernel, PlansTheRealKernelWhenOneIsGiven)
{
    const char* path = getenv("TESSERA_GUEST_KERNEL");
    if (path == nullptr)
        GTEST_SKIP() << "TESSERA_GUEST_KERNEL not set (ctest's vmm.host.debian_kernel_plan sets it "
                        "to Debian's kernel)";
    std::ifstream file(path, std::ios::binary);
    ASSERT_TRUE(file) << path;
    std::vector<uint8_t> kernel((std::istreambuf_iterator<char>(file)), {});
    LinuxBootFiles files{ImageBytes{kernel.data(), kernel.size()}, ImageBytes{nullptr, 0},
                         "console=ttyS0", 0};
    auto plan = plan_linux_boot(files, 256 * MiB);
    ASSERT_TRUE(plan) << plan.error().what;
    EXPECT_GE(plan.value().header.version, 0x020c);
    EXPECT_EQ(plan.value().entry_rip, plan.value().kernel_address + 0x200);
}

} // namespace
} // namespace tessera::services::vmm
