#include "boot/root_cnode_size.h"

#include <gtest/gtest.h>

using tessera::boot::root_cnode_bits;

TEST(RootCNodeSize, StaysSeL4sTwelveBitsWheneverTheBootCapsFit)
{
    EXPECT_EQ(root_cnode_bits(0), 12u);
    EXPECT_EQ(root_cnode_bits(300), 12u);
    EXPECT_EQ(root_cnode_bits(4096), 12u);
}

TEST(RootCNodeSize, GrowsForALargeImageWithSeL4sRoomBesides)
{
    // 4097 caps: 2^13 = 8192 < 4097 + 4096, so 2^14.
    EXPECT_EQ(root_cnode_bits(4097), 14u);
    EXPECT_EQ(root_cnode_bits(12288), 14u);
    EXPECT_EQ(root_cnode_bits(12289), 15u);
    // A 40 MiB image: 10,240 frames, some tables, 230 untypeds.
    const uint64_t caps = 16 + 21 + 1 + 10240 + 230;
    const unsigned bits = root_cnode_bits(caps);
    EXPECT_EQ(bits, 14u);
    EXPECT_GE((uint64_t{1} << bits) - caps, 4096u);
}

TEST(RootCNodeSize, NeverExceedsTheMaximum)
{
    EXPECT_EQ(root_cnode_bits(uint64_t{1} << 16), 16u);
    EXPECT_EQ(root_cnode_bits(uint64_t{1} << 40), 16u);
}
