// The 8259A pair: Linux's probe of the master mask, its initialisation sequence on both chips,
// masking afterwards, and the ELCR's fixed edge-triggered bits.
#include "pic_8259.h"

#include <gtest/gtest.h>

namespace tessera::services::vmm {
namespace {

TEST(Pic8259, PassesLinuxsProbeAndStartsMasked)
{
    Pic8259Pair pic;
    EXPECT_EQ(pic.read(0x21), 0xff);
    pic.write(0xa1, 0xff);
    pic.write(0x21, 0xfb); // probe value
    EXPECT_EQ(pic.read(0x21), 0xfb);
}

TEST(Pic8259, RunsTheInitialisationSequenceOnBothChips)
{
    Pic8259Pair pic;
    pic.write(0x20, 0x11); // ICW1: edge, cascade, ICW4 follows
    EXPECT_EQ(pic.read(0x21), 0x00);
    pic.write(0x21, 0x30); // ICW2: vectors 0x30-0x37
    pic.write(0x21, 0x04); // ICW3: slave on IRQ 2
    pic.write(0x21, 0x01); // ICW4: 8086 mode
    pic.write(0xa0, 0x11);
    pic.write(0xa1, 0x38);
    pic.write(0xa1, 0x02);
    pic.write(0xa1, 0x01);
    EXPECT_EQ(pic.vector_base(false), 0x30);
    EXPECT_EQ(pic.vector_base(true), 0x38);
    pic.write(0x21, 0xfb); // OCW1 after initialisation: a mask again
    pic.write(0xa1, 0xff);
    EXPECT_EQ(pic.read(0x21), 0xfb);
    EXPECT_EQ(pic.read(0xa1), 0xff);
    EXPECT_EQ(pic.vector_base(false), 0x30);
}

TEST(Pic8259, SingleModeWithoutIcw4TakesOnlyIcw2)
{
    Pic8259Pair pic;
    pic.write(0x20, 0x12); // single, no ICW4
    pic.write(0x21, 0x48);
    pic.write(0x21, 0x5a); // already a mask
    EXPECT_EQ(pic.vector_base(false), 0x48);
    EXPECT_EQ(pic.read(0x21), 0x5a);
}

TEST(Pic8259, NeverReportsRequestsAndKeepsElcrEdgeOnlyBitsClear)
{
    Pic8259Pair pic;
    pic.write(0x20, 0x0b); // OCW3: read ISR
    EXPECT_EQ(pic.read(0x20), 0);
    pic.write(0x4d0, 0xff);
    pic.write(0x4d1, 0xff);
    EXPECT_EQ(pic.read(0x4d0), 0xf8);
    EXPECT_EQ(pic.read(0x4d1), 0xde);
    EXPECT_TRUE(Pic8259Pair::handles(0x4d1));
    EXPECT_FALSE(Pic8259Pair::handles(0x22));
}

} // namespace
} // namespace tessera::services::vmm
