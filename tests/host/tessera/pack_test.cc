// Packing of large images for the loader: LZ4 blocks written by the tool and read back by the
// loader's unpacker, which must refuse corrupt input without leaving its buffers (this file also
// runs under ASan and UBSan in tessera_spec_fuzz_test).
#include <cstring>
#include <gtest/gtest.h>
#include <random>
#include <vector>

#include "pack.h"
#include "tessera/lz4_block.h"
#include "tessera/spec.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

using spec::lz4_block_unpack;
using spec::UnpackError;

std::vector<uint8_t> unpack(const std::vector<uint8_t>& block, size_t size, UnpackError* error = nullptr)
{
    std::vector<uint8_t> out(size);
    const UnpackError result = lz4_block_unpack(block.data(), block.size(), out.data(), out.size());
    if (error != nullptr)
        *error = result;
    EXPECT_TRUE(error != nullptr || result == UnpackError::None) << spec::unpack_error_name(result);
    return out;
}

using test::random_bytes;

// Like an image of many protection domains: copies of one program with a few bytes changed.
std::vector<uint8_t> near_copies(size_t copies, size_t size)
{
    const std::vector<uint8_t> program = random_bytes(size, 7);
    std::vector<uint8_t> data;
    for (size_t i = 0; i < copies; ++i) {
        std::vector<uint8_t> copy = program;
        copy[i % size] ^= uint8_t(i);
        copy[size / 2] = uint8_t(i >> 8);
        data.insert(data.end(), copy.begin(), copy.end());
    }
    return data;
}

TEST(Pack, RoundTripsAnyData)
{
    for (size_t size : {0, 1, 5, 12, 13, 100, 4096, 70000, 300000}) {
        const auto random = random_bytes(size, uint32_t(size));
        EXPECT_EQ(unpack(lz4_block_pack(random), size), random) << size << " random bytes";
        const std::vector<uint8_t> zeros(size, 0);
        EXPECT_EQ(unpack(lz4_block_pack(zeros), size), zeros) << size << " zeros";
    }
}

TEST(Pack, NearCopiesShrinkManyTimes)
{
    const auto data = near_copies(500, 17 * 1024);
    const auto block = lz4_block_pack(data);
    EXPECT_LT(block.size() * 20, data.size());
    EXPECT_EQ(unpack(block, data.size()), data);
}

TEST(Pack, SmallImagesStayAsTheyAreLargeOnesGetAHeader)
{
    const auto small = random_bytes(PackAboveBytes, 1);
    EXPECT_EQ(pack_for_loader(small), small);
    const auto large = near_copies(100, 17 * 1024);
    const auto packed = pack_for_loader(large);
    ASSERT_GT(packed.size(), sizeof(tessera_packed_header));
    tessera_packed_header header;
    std::memcpy(&header, packed.data(), sizeof header);
    EXPECT_EQ(std::memcmp(header.magic, TESSERA_PACKED_MAGIC, 8), 0);
    EXPECT_EQ(header.format, TESSERA_PACKED_LZ4_BLOCK);
    EXPECT_EQ(header.header_size, sizeof header);
    EXPECT_EQ(header.image_size, large.size());
    EXPECT_EQ(header.packed_size, packed.size() - sizeof header);
    const std::vector<uint8_t> block(packed.begin() + sizeof header, packed.end());
    EXPECT_EQ(unpack(block, large.size()), large);
}

TEST(Pack, UnpackerNamesEachKindOfDamage)
{
    const auto data = near_copies(8, 4096);
    const auto block = lz4_block_pack(data);
    UnpackError error;
    (void)unpack(std::vector<uint8_t>(block.begin(), block.end() - 3), data.size(), &error);
    EXPECT_NE(error, UnpackError::None);
    (void)unpack(block, data.size() - 1, &error);
    EXPECT_EQ(error, UnpackError::OutputOverrun);
    (void)unpack(block, data.size() + 1, &error);
    EXPECT_EQ(error, UnpackError::ShortOutput);
    // A match before the start: token with no literals, offset 1.
    (void)unpack(std::vector<uint8_t>{0x00, 0x01, 0x00}, 16, &error);
    EXPECT_EQ(error, UnpackError::BadOffset);
    (void)unpack(std::vector<uint8_t>{0x10, 'a', 0x00, 0x00}, 16, &error);
    EXPECT_EQ(error, UnpackError::BadOffset); // offset 0
    (void)unpack(std::vector<uint8_t>{0xf0, 0xff}, 1000, &error);
    EXPECT_EQ(error, UnpackError::Truncated);
}

TEST(Pack, RandomDamageNeverLeavesTheBuffers)
{
    const auto data = near_copies(16, 3000);
    const auto block = lz4_block_pack(data);
    std::mt19937 random(42);
    for (int round = 0; round < 3000; ++round) {
        std::vector<uint8_t> mutant = block;
        const int flips = 1 + int(random() % 4);
        for (int i = 0; i < flips; ++i)
            mutant[random() % mutant.size()] ^= uint8_t(1 + random() % 255);
        if (random() % 4 == 0)
            mutant.resize(random() % mutant.size());
        std::vector<uint8_t> out(data.size());
        (void)lz4_block_unpack(mutant.data(), mutant.size(), out.data(), out.size());
    }
}

} // namespace
} // namespace tessera::sdf
