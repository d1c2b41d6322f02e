// The image and spec checksum: IEEE CRC-32 as zlib computes it, with the checksum field's four
// bytes read as zero, whatever the length and wherever the field lies.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "tessera/spec_reader.h"
#include "test_support.h"

namespace {

using tessera::sdf::test::random_bytes;

// A bit at a time, straight from the polynomial: slow and obviously right.
uint32_t reference_crc32(const std::vector<uint8_t>& data, uint64_t skip_offset)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (uint64_t i = 0; i < data.size(); ++i) {
        const bool skipped = i >= skip_offset && i - skip_offset < 4;
        crc ^= skipped ? 0 : data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

TEST(Crc32, MatchesTheStandardCheckValue)
{
    const char* text = "123456789";
    const uint64_t nowhere = ~uint64_t{0};
    EXPECT_EQ(tessera::spec::crc32(reinterpret_cast<const uint8_t*>(text), 9, nowhere),
              0xCBF43926u);
    EXPECT_EQ(tessera::spec::crc32(nullptr, 0, nowhere), 0u);
}

TEST(Crc32, ReadsTheSkippedFieldAsZero)
{
    std::vector<uint8_t> data = random_bytes(64, 1);
    const uint32_t with_field = tessera::spec::crc32(data.data(), data.size(), 20);
    std::memset(data.data() + 20, 0, 4);
    EXPECT_EQ(with_field, tessera::spec::crc32(data.data(), data.size(), ~uint64_t{0}));
}

TEST(Crc32, AgreesWithTheBitwiseFormForEveryShortLengthAndFieldPlace)
{
    for (size_t size = 0; size <= 40; ++size) {
        const std::vector<uint8_t> data = random_bytes(size, unsigned(size) + 7);
        for (uint64_t skip = 0; skip <= size + 2; ++skip)
            ASSERT_EQ(tessera::spec::crc32(data.data(), size, skip), reference_crc32(data, skip))
                << "size " << size << " field at " << skip;
    }
}

TEST(Crc32, AgreesWithTheBitwiseFormOnALargeUnalignedBlob)
{
    const std::vector<uint8_t> data = random_bytes(100003, 42);
    const std::vector<uint8_t> tail(data.begin() + 3, data.end());
    EXPECT_EQ(tessera::spec::crc32(data.data() + 3, tail.size(), 32), reference_crc32(tail, 32));
}

} // namespace
