#include <gtest/gtest.h>

#include "irq/ioapic_entry.h"

namespace tessera::core::ioapic {
namespace {

// Bit positions from the 82093AA datasheet, table 3.2.4, written out by hand.
TEST(IoapicEntry, EdgeActiveHighUnmaskedIsJustTheVectorAndDestination)
{
    EXPECT_EQ(make_entry(0x33, Trigger::Edge, Polarity::ActiveHigh, Masking::Unmasked, 0), 0x33u);
    EXPECT_EQ(make_entry(0x33, Trigger::Edge, Polarity::ActiveHigh, Masking::Unmasked, 5),
              0x0500000000000033u);
}

TEST(IoapicEntry, LevelActiveLowMaskedSetsBits15_13_16)
{
    EXPECT_EQ(make_entry(0x9b, Trigger::Level, Polarity::ActiveLow, Masking::Masked, 0),
              0x9bu | (1u << 13) | (1u << 15) | (1u << 16));
}

TEST(IoapicEntry, MaskingChangesOnlyBit16)
{
    const uint64_t e = make_entry(0x40, Trigger::Level, Polarity::ActiveLow, Masking::Unmasked, 1);
    EXPECT_EQ(with_masking(e, Masking::Masked), e | (1u << 16));
    EXPECT_EQ(with_masking(with_masking(e, Masking::Masked), Masking::Unmasked), e);
}

TEST(IoapicEntry, RedirectionRegistersArePairsFrom0x10)
{
    EXPECT_EQ(redirection_low(0), 0x10u);
    EXPECT_EQ(redirection_high(0), 0x11u);
    EXPECT_EQ(redirection_low(23), 0x3eu);
    EXPECT_EQ(redirection_high(23), 0x3fu);
    EXPECT_EQ(MaxRedirectionEntry::get(0x00170020), 23u); // QEMU's version register: 24 pins
}

} // namespace
} // namespace tessera::core::ioapic
