// Random byte flips and truncations of a real image: the reader (built with ASan and UBSan)
// must reject or accept each one without crashing. Half of the mutants get their checksums
// repaired, so the structural checks behind the checksum are exercised too.
#include <cstring>
#include <gtest/gtest.h>
#include <random>

#include "tessera/spec_reader.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

void repair_checksums(std::vector<uint8_t>& image)
{
    if (image.size() < sizeof(tessera_image_header))
        return;
    tessera_image_header header;
    std::memcpy(&header, image.data(), sizeof header);
    tessera_image_entry spec_entry;
    const uint64_t at = header.toc_offset;
    if (at <= image.size() && sizeof spec_entry <= image.size() - at) {
        std::memcpy(&spec_entry, image.data() + at, sizeof spec_entry);
        if (spec_entry.offset <= image.size() && spec_entry.size <= image.size() - spec_entry.offset &&
            spec_entry.size >= sizeof(tessera_spec_header)) {
            tessera_spec_header spec;
            std::memcpy(&spec, image.data() + spec_entry.offset, sizeof spec);
            spec.checksum = spec::crc32(image.data() + spec_entry.offset, spec_entry.size,
                                        offsetof(tessera_spec_header, checksum));
            std::memcpy(image.data() + spec_entry.offset, &spec, sizeof spec);
        }
    }
    header.image_size = image.size();
    header.checksum = spec::crc32(image.data(), image.size(), offsetof(tessera_image_header, checksum));
    std::memcpy(image.data(), &header, sizeof header);
}

TEST(SpecFuzz, RandomCorruptionNeverCrashesTheReader)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    const std::vector<uint8_t>& original = result->image;
    std::mt19937_64 random(0x7e55e7a);
    // The spec blob and table of contents are where structure lives; aim most flips there.
    const size_t hot = std::min<size_t>(original.size(), 64 + 64 * 3 + result->blobs[0].data.size() + 64);
    int accepted = 0, rejected = 0;
    for (int round = 0; round < 3000; ++round) {
        std::vector<uint8_t> image = original;
        const int flips = 1 + static_cast<int>(random() % 4);
        for (int f = 0; f < flips; ++f) {
            const size_t at = random() % (random() % 4 == 0 ? image.size() : hot);
            image[at] ^= static_cast<uint8_t>(1u << (random() % 8));
        }
        if (random() % 5 == 0)
            image.resize(random() % image.size());
        if (round % 2 == 0)
            repair_checksums(image);
        // A copy of exactly the mutant's size, so ASan sees any read past its end.
        std::unique_ptr<uint8_t[]> exact(new uint8_t[image.size() + 1]);
        std::memcpy(exact.get(), image.data(), image.size());
        std::vector<uint8_t> kinds(1 << 16);
        auto opened = spec::ImageView::open(exact.get(), image.size(), kinds.data(), kinds.size());
        // The loader's two steps (open without kinds, then check_references with them) must
        // judge every mutant as the one-step open does, at the same offset.
        auto first = spec::ImageView::open(exact.get(), image.size());
        if (first) {
            auto checked = first.value().check_references(kinds.data(), kinds.size());
            ASSERT_EQ(bool(checked), bool(opened)) << "round " << round;
            if (!checked) {
                EXPECT_EQ(checked.error().offset, opened.error().offset) << "round " << round;
            }
        }
        if (opened) {
            ++accepted;
            // Walk everything a loader would touch.
            const auto& spec = opened.value().spec();
            for (uint32_t i = 0; i < spec.op_count(); ++i)
                (void)spec.op(i);
        } else {
            ++rejected;
            EXPECT_NE(opened.error().detail, nullptr);
        }
    }
    EXPECT_GT(rejected, 1000);
    SUCCEED() << accepted << " mutants accepted, " << rejected << " rejected";
}

TEST(SpecFuzz, EveryTruncationIsRejected)
{
    auto result = test::build_example("hello");
    ASSERT_TRUE(result);
    for (size_t size = 0; size < result->image.size(); size += 7) {
        std::unique_ptr<uint8_t[]> exact(new uint8_t[size + 1]);
        std::memcpy(exact.get(), result->image.data(), size);
        EXPECT_FALSE(spec::ImageView::open(exact.get(), size)) << size;
    }
}

} // namespace
} // namespace tessera::sdf
