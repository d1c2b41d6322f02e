// The bzImage setup header: a well-formed image is read field by field, and each way a file can
// be wrong (short, truncated, not Linux, too old, no 64-bit entry, inconsistent) is refused
// without reading past the file's end.
#include "boot_protocol.h"
#include "fake_bzimage.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace tessera::services::vmm {
namespace {

using test::FakeBzImageFields;
using test::make_fake_bzimage;

libos::Result<SetupHeader> parse(const std::vector<uint8_t>& image)
{
    return parse_setup_header(ImageBytes{image.data(), image.size()});
}

void expect_refused(const std::vector<uint8_t>& image, const char* reason_part)
{
    auto header = parse(image);
    ASSERT_FALSE(header);
    EXPECT_EQ(header.error().code, seL4_InvalidArgument);
    EXPECT_NE(std::string(header.error().what).find(reason_part), std::string::npos)
        << header.error().what;
}

TEST(BootProtocol, ReadsEveryFieldOfAWellFormedImage)
{
    auto header = parse(make_fake_bzimage());
    ASSERT_TRUE(header) << header.error().what;
    EXPECT_EQ(header.value().version, 0x020f);
    EXPECT_EQ(header.value().setup_bytes, 5u * 512);
    EXPECT_EQ(header.value().payload_bytes, 64u * 1024);
    EXPECT_EQ(header.value().header_end, 0x26cu);
    EXPECT_EQ(header.value().pref_address, 0x1000000u);
    EXPECT_EQ(header.value().kernel_alignment, 0x200000u);
    EXPECT_TRUE(header.value().relocatable);
    EXPECT_EQ(header.value().init_size, 8u << 20);
    EXPECT_EQ(header.value().initrd_addr_max, 0x7fffffffu);
    EXPECT_EQ(header.value().cmdline_size, 2047u);
}

TEST(BootProtocol, ZeroSetupSectorsMeansFour)
{
    FakeBzImageFields fields;
    fields.setup_sects = 0;
    auto header = parse(make_fake_bzimage(fields));
    ASSERT_TRUE(header) << header.error().what;
    EXPECT_EQ(header.value().setup_bytes, 5u * 512);
}

TEST(BootProtocol, RefusesEveryTruncationWithoutReadingPastTheEnd)
{
    FakeBzImageFields fields;
    fields.payload_bytes = 4096;
    std::vector<uint8_t> full = make_fake_bzimage(fields);
    // Each prefix in its own exact-size allocation, so that AddressSanitizer sees any overread.
    for (size_t length = 0; length < full.size(); length += (length < 0x300 ? 1 : 61)) {
        std::unique_ptr<uint8_t[]> copy(new uint8_t[length + 1]);
        std::copy(full.begin(), full.begin() + length, copy.get());
        auto header = parse_setup_header(ImageBytes{copy.get(), length});
        EXPECT_FALSE(header) << "accepted a " << length << "-byte prefix";
    }
    expect_refused(std::vector<uint8_t>(full.begin(), full.end() - 16), "truncated");
}

TEST(BootProtocol, RefusesAnEmptyOrNullFile)
{
    EXPECT_FALSE(parse_setup_header(ImageBytes{nullptr, 0}));
    expect_refused(std::vector<uint8_t>(100, 0), "too short");
}

TEST(BootProtocol, RefusesFilesThatAreNotLinux)
{
    FakeBzImageFields no_flag;
    no_flag.boot_flag = false;
    expect_refused(make_fake_bzimage(no_flag), "no Linux setup header");
    FakeBzImageFields no_magic;
    no_magic.magic = false;
    expect_refused(make_fake_bzimage(no_magic), "no Linux setup header");
    // An ELF file (a vmlinux) of the same size.
    std::vector<uint8_t> elf(8192, 0);
    elf[0] = 0x7f, elf[1] = 'E', elf[2] = 'L', elf[3] = 'F';
    expect_refused(elf, "no Linux setup header");
}

TEST(BootProtocol, RefusesProtocolsBefore212)
{
    FakeBzImageFields fields;
    fields.version = 0x020b;
    expect_refused(make_fake_bzimage(fields), "older than 2.12");
}

TEST(BootProtocol, RefusesZImagesAndKernelsWithout64BitEntry)
{
    FakeBzImageFields low;
    low.loadflags = 0;
    expect_refused(make_fake_bzimage(low), "zImage");
    FakeBzImageFields no64;
    no64.xloadflags = 0x0002;
    expect_refused(make_fake_bzimage(no64), "64-bit entry");
}

TEST(BootProtocol, RefusesAHeaderShorterThanItsFields)
{
    FakeBzImageFields fields;
    fields.header_length_byte = 0x20; // ends at 0x222, before init_size
    expect_refused(make_fake_bzimage(fields), "setup header shorter");
}

TEST(BootProtocol, RefusesInconsistentSizesAndAlignment)
{
    FakeBzImageFields empty;
    empty.payload_bytes = 0;
    expect_refused(make_fake_bzimage(empty), "syssize 0");
    FakeBzImageFields odd_alignment;
    odd_alignment.kernel_alignment = 0x300000;
    expect_refused(make_fake_bzimage(odd_alignment), "power of two");
    FakeBzImageFields unaligned;
    unaligned.pref_address = 0x1001000;
    expect_refused(make_fake_bzimage(unaligned), "not aligned");
    FakeBzImageFields small_init;
    small_init.init_size = 4096;
    expect_refused(make_fake_bzimage(small_init), "init_size");
}

} // namespace
} // namespace tessera::services::vmm
