// seL4's x86 VM attributes as entry bits, and the PAT value that makes them mean what seL4 says.
#include "vspace/page_attributes.h"

#include <gtest/gtest.h>

using namespace tessera::x86_64;

namespace {
constexpr uint64_t Pwt = 1u << 3, Pcd = 1u << 4, PatSmall = 1u << 7, PatLarge = 1u << 12;
constexpr uint64_t WriteBack = 0, WriteThrough = 1, CacheDisabled = 2, Uncacheable = 3, WriteCombining = 4;
} // namespace

TEST(PageAttributes, SmallPagesTakeAllThreeBits)
{
    EXPECT_EQ(entry_cache_bits(WriteBack, EntryKind::SmallPage), 0u);
    EXPECT_EQ(entry_cache_bits(WriteThrough, EntryKind::SmallPage), Pwt);
    EXPECT_EQ(entry_cache_bits(CacheDisabled, EntryKind::SmallPage), Pcd);
    EXPECT_EQ(entry_cache_bits(Uncacheable, EntryKind::SmallPage), Pwt | Pcd);
    EXPECT_EQ(entry_cache_bits(WriteCombining, EntryKind::SmallPage), PatSmall);
}

TEST(PageAttributes, LargePagesKeepThePatBitAtBit12)
{
    EXPECT_EQ(entry_cache_bits(WriteCombining, EntryKind::LargePage), PatLarge);
    EXPECT_EQ(entry_cache_bits(WriteCombining | Uncacheable, EntryKind::LargePage), PatLarge | Pwt | Pcd);
}

TEST(PageAttributes, HugePagesAndTablesIgnoreThePatBitAsSeL4Does)
{
    EXPECT_EQ(entry_cache_bits(WriteCombining, EntryKind::HugePage), 0u);
    EXPECT_EQ(entry_cache_bits(WriteCombining, EntryKind::Table), 0u);
    EXPECT_EQ(entry_cache_bits(Uncacheable, EntryKind::Table), Pwt | Pcd);
    EXPECT_EQ(entry_cache_bits(Uncacheable, EntryKind::HugePage), Pwt | Pcd);
}

TEST(PageAttributes, UnknownAttributeBitsAreIgnored)
{
    EXPECT_EQ(entry_cache_bits(~uint64_t{7}, EntryKind::SmallPage), 0u);
}

TEST(PageAttributes, PatEntryFourBecomesWriteCombiningAndTheRestStays)
{
    constexpr uint64_t ResetPat = 0x0007040600070406ull; // WB WT UC- UC, twice (Intel SDM 11.12.4)
    EXPECT_EQ(pat_with_write_combining(ResetPat), 0x0007040100070406ull);
    EXPECT_EQ(pat_with_write_combining(0), uint64_t{1} << 32);
}
