// The guest bundle `tessera vm` writes into the VMM's image: a well-formed one parses into its
// parts; every malformed one is refused with its reason and nothing read outside the blob.
#include "guest_bundle.h"

#include <gtest/gtest.h>

#include <string.h>

#include <vector>

namespace tessera::services::vmm {
namespace {

struct BundleFixture : ::testing::Test {
    GuestBundleHeader header{};
    std::vector<uint8_t> blob;

    void build(const std::vector<uint8_t>& kernel, const std::vector<uint8_t>& initrd,
               const std::string& command_line)
    {
        memcpy(header.magic, GuestBundleMagic, sizeof header.magic);
        header.memory_bytes = 128u << 20;
        header.kernel_offset = sizeof header;
        header.kernel_size = kernel.size();
        header.initrd_offset = header.kernel_offset + kernel.size();
        header.initrd_size = initrd.size();
        header.command_line_offset = header.initrd_offset + initrd.size();
        header.command_line_size = command_line.size() + 1;
        write(kernel, initrd, command_line);
    }
    void write(const std::vector<uint8_t>& kernel, const std::vector<uint8_t>& initrd,
               const std::string& command_line)
    {
        blob.assign(sizeof header, 0);
        memcpy(blob.data(), &header, sizeof header);
        blob.insert(blob.end(), kernel.begin(), kernel.end());
        blob.insert(blob.end(), initrd.begin(), initrd.end());
        blob.insert(blob.end(), command_line.begin(), command_line.end());
        blob.push_back(0);
    }
    void rewrite_header() { memcpy(blob.data(), &header, sizeof header); }
    std::string refusal()
    {
        const auto parsed = parse_guest_bundle(blob.data(), blob.size());
        return parsed ? std::string("(parsed)") : std::string(parsed.error().what);
    }
};

TEST_F(BundleFixture, AWellFormedBundleGivesItsParts)
{
    build({1, 2, 3}, {4, 5}, "console=ttyS0");
    const auto parsed = parse_guest_bundle(blob.data(), blob.size());
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed.value().memory_bytes, 128u << 20);
    EXPECT_EQ(parsed.value().kernel.size, 3u);
    EXPECT_EQ(parsed.value().kernel.data[2], 3);
    EXPECT_EQ(parsed.value().initrd.size, 2u);
    EXPECT_EQ(parsed.value().initrd.data[0], 4);
    EXPECT_STREQ(parsed.value().command_line, "console=ttyS0");
}

TEST_F(BundleFixture, NoInitrdAndAnEmptyCommandLineAreFine)
{
    build({1}, {}, "");
    const auto parsed = parse_guest_bundle(blob.data(), blob.size());
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed.value().initrd.size, 0u);
    EXPECT_STREQ(parsed.value().command_line, "");
}

TEST_F(BundleFixture, EveryTruncationIsRefused)
{
    build({1, 2, 3}, {4, 5}, "x");
    const std::vector<uint8_t> whole = blob;
    for (size_t size = 0; size < whole.size(); size++) {
        blob.assign(whole.begin(), whole.begin() + long(size));
        EXPECT_NE(refusal(), "(parsed)") << size;
    }
}

TEST_F(BundleFixture, MalformedHeadersNameTheirFault)
{
    build({1, 2, 3}, {}, "x");
    blob[0] = 'X';
    EXPECT_EQ(refusal(), "guest bundle: not a guest bundle (wrong magic)");

    build({1, 2, 3}, {}, "x");
    header.kernel_offset = ~0ull - 1; // offset + size would wrap around
    rewrite_header();
    EXPECT_EQ(refusal(), "guest bundle: a part lies outside the bundle");

    build({}, {}, "x");
    EXPECT_EQ(refusal(), "guest bundle: no kernel");

    build({1}, {}, "x");
    blob.back() = 'y';
    EXPECT_EQ(refusal(), "guest bundle: the command line has no terminating NUL");

    build({1}, {}, "x");
    header.memory_bytes = 0;
    rewrite_header();
    EXPECT_EQ(refusal(), "guest bundle: no guest memory");
}

} // namespace
} // namespace tessera::services::vmm
