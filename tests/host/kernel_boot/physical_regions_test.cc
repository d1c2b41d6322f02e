#include "boot/physical_regions.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace tessera::boot;

namespace {

PhysicalRange range(uint64_t start, uint64_t end) { return {PAddr{start}, PAddr{end}}; }

} // namespace

TEST(PhysicalRegions, AddMergesTouchingAndOverlappingRanges)
{
    PhysicalRegions r;
    ASSERT_TRUE(r.add(range(0x1000, 0x2000)));
    ASSERT_TRUE(r.add(range(0x3000, 0x4000)));
    ASSERT_TRUE(r.add(range(0x2000, 0x3000)));
    ASSERT_EQ(r.count(), 1u);
    EXPECT_EQ(r[0].start.raw(), 0x1000u);
    EXPECT_EQ(r[0].end.raw(), 0x4000u);
    ASSERT_TRUE(r.add(range(0x800, 0x1800)));
    EXPECT_EQ(r.count(), 1u);
    EXPECT_EQ(r[0].start.raw(), 0x800u);
}

TEST(PhysicalRegions, RemoveSplitsARange)
{
    PhysicalRegions r;
    ASSERT_TRUE(r.add(range(0x0, 0x10000)));
    ASSERT_TRUE(r.remove(range(0x4000, 0x5000)));
    ASSERT_EQ(r.count(), 2u);
    EXPECT_EQ(r[0].end.raw(), 0x4000u);
    EXPECT_EQ(r[1].start.raw(), 0x5000u);
    EXPECT_EQ(r.total(), 0xf000u);
}

TEST(PhysicalRegions, AllocateHonoursAlignmentAndRemovesTheBlock)
{
    PhysicalRegions r;
    ASSERT_TRUE(r.add(range(0x1800, 0x100000)));
    const PhysicalRange a = r.allocate(0x1000, 12);
    EXPECT_EQ(a.start.raw(), 0x2000u);
    const PhysicalRange b = r.allocate(0x10000, 16);
    EXPECT_EQ(b.start.raw(), 0x10000u);
    EXPECT_EQ(r.total(), 0x100000u - 0x1800 - 0x1000 - 0x10000);
}

TEST(PhysicalRegions, AllocateFailsWhenNothingFits)
{
    PhysicalRegions r;
    ASSERT_TRUE(r.add(range(0x1000, 0x3000)));
    EXPECT_TRUE(r.allocate(0x4000, 12).is_empty());
    EXPECT_TRUE(r.allocate(0x1000, 16).is_empty());
    EXPECT_EQ(r.total(), 0x2000u);
}

TEST(PhysicalRegions, RandomOperationsMatchAPageBitmap)
{
    constexpr uint64_t Pages = 512;
    std::mt19937_64 random(1234);
    for (int round = 0; round < 200; round++) {
        PhysicalRegions r;
        std::vector<bool> model(Pages, false);
        for (int step = 0; step < 60; step++) {
            const uint64_t a = random() % Pages, b = a + 1 + random() % 32;
            const uint64_t end = b > Pages ? Pages : b;
            const int op = int(random() % 3);
            if (op == 0) {
                if (!r.add(range(a << 12, end << 12)))
                    continue;
                for (uint64_t p = a; p < end; p++)
                    model[p] = true;
            } else if (op == 1) {
                ASSERT_TRUE(r.remove(range(a << 12, end << 12)));
                for (uint64_t p = a; p < end; p++)
                    model[p] = false;
            } else {
                const unsigned align = 12 + unsigned(random() % 3);
                const PhysicalRange got = r.allocate(((random() % 4) + 1) << 12, align);
                if (got.is_empty())
                    continue;
                ASSERT_TRUE(got.start.is_aligned(align));
                for (uint64_t p = got.start.raw() >> 12; p < got.end.raw() >> 12; p++) {
                    ASSERT_TRUE(model[p]) << "allocated a page that was not free";
                    model[p] = false;
                }
            }
            // Ranges are sorted, disjoint, non-touching, and cover exactly the model's pages.
            std::vector<bool> seen(Pages, false);
            for (unsigned i = 0; i < r.count(); i++) {
                ASSERT_LT(r[i].start, r[i].end);
                if (i > 0) {
                    ASSERT_LT(r[i - 1].end, r[i].start);
                }
                for (uint64_t p = r[i].start.raw() >> 12; p < r[i].end.raw() >> 12; p++)
                    seen[p] = true;
            }
            ASSERT_EQ(seen, model);
        }
    }
}

TEST(SplitIntoAlignedBlocks, CoversTheRangeWithNaturallyAlignedBlocks)
{
    std::vector<std::pair<uint64_t, unsigned>> blocks;
    split_into_aligned_blocks(range(0x3000, 0x20000), 12, 47,
                              [&](PAddr start, unsigned bits) { blocks.push_back({start.raw(), bits}); });
    const std::vector<std::pair<uint64_t, unsigned>> expected = {
        {0x3000, 12}, {0x4000, 14}, {0x8000, 15}, {0x10000, 16}};
    EXPECT_EQ(blocks, expected);
}

TEST(SplitIntoAlignedBlocks, RespectsTheMaximumAndSkipsSlivers)
{
    std::vector<std::pair<uint64_t, unsigned>> blocks;
    split_into_aligned_blocks(range(0x10, 0x40000 + 0x8), 16, 17,
                              [&](PAddr start, unsigned bits) { blocks.push_back({start.raw(), bits}); });
    const std::vector<std::pair<uint64_t, unsigned>> expected = {
        {0x10000, 16}, {0x20000, 17}};
    EXPECT_EQ(blocks, expected);
}
