// The TLB decisions of kernel/arch/x86_64/vspace/pcid_policy.h, with and without PCID and INVPCID.
#include "vspace/pcid_policy.h"

#include <gtest/gtest.h>

using tessera::x86_64::PcidPolicy;
using tessera::x86_64::TlbFlush;

namespace {
constexpr uint64_t Pml4 = 0x123000;
constexpr uint64_t KeepEntries = uint64_t{1} << 63;
} // namespace

TEST(PcidPolicy, WithoutPcidRootsAreBarePml4sAndEveryLoadFlushes)
{
    PcidPolicy policy(false, true); // INVPCID alone changes nothing
    EXPECT_FALSE(policy.is_tagged());
    EXPECT_EQ(policy.tagged_root(Pml4, 7), Pml4);
    EXPECT_EQ(policy.cr3_for_switch(Pml4), Pml4);
}

TEST(PcidPolicy, WithoutPcidOnlyTheCurrentSpaceIsFlushed)
{
    PcidPolicy policy(false, false);
    EXPECT_EQ(policy.address_changed(7, true), TlbFlush::CurrentAddress);
    EXPECT_EQ(policy.space_changed(7, true), TlbFlush::CurrentSpace);
    EXPECT_EQ(policy.address_changed(7, false), TlbFlush::None);
    EXPECT_EQ(policy.space_changed(7, false), TlbFlush::None);
    EXPECT_EQ(policy.asid_released(7), TlbFlush::None);
    EXPECT_EQ(policy.cr3_for_switch(Pml4), Pml4);
}

TEST(PcidPolicy, WithPcidTheAsidIsThePcidAndLoadsKeepEntries)
{
    PcidPolicy policy(true, true);
    EXPECT_TRUE(policy.is_tagged());
    const uint64_t root = policy.tagged_root(Pml4, 0x1ff);
    EXPECT_EQ(root, Pml4 | 0x1ff);
    EXPECT_EQ(policy.cr3_for_switch(root), root | KeepEntries);
    // ASID 0 is never assigned: PCID 0 is the kernel's own space.
    EXPECT_EQ(policy.tagged_root(Pml4, 0), Pml4);
}

TEST(PcidPolicy, WithInvpcidOtherSpacesAreFlushedAtOnce)
{
    PcidPolicy policy(true, true);
    EXPECT_EQ(policy.address_changed(3, false), TlbFlush::OtherAddress);
    EXPECT_EQ(policy.space_changed(3, false), TlbFlush::OtherSpace);
    EXPECT_EQ(policy.asid_released(3), TlbFlush::OtherSpace);
    EXPECT_FALSE(policy.is_stale(3));
    EXPECT_EQ(policy.cr3_for_switch(policy.tagged_root(Pml4, 3)), Pml4 | 3 | KeepEntries);
    EXPECT_EQ(policy.address_changed(3, true), TlbFlush::CurrentAddress);
    EXPECT_EQ(policy.space_changed(3, true), TlbFlush::CurrentSpace);
}

TEST(PcidPolicy, WithoutInvpcidAChangeElsewhereFlushesThatSpaceOnItsNextLoadOnly)
{
    PcidPolicy policy(true, false);
    EXPECT_EQ(policy.address_changed(5, false), TlbFlush::Deferred);
    EXPECT_TRUE(policy.is_stale(5));
    EXPECT_FALSE(policy.is_stale(6));
    // Another space still keeps its entries.
    EXPECT_EQ(policy.cr3_for_switch(policy.tagged_root(Pml4, 6)), Pml4 | 6 | KeepEntries);
    // The stale one is flushed once, then kept again.
    EXPECT_EQ(policy.cr3_for_switch(policy.tagged_root(Pml4, 5)), Pml4 | 5);
    EXPECT_FALSE(policy.is_stale(5));
    EXPECT_EQ(policy.cr3_for_switch(policy.tagged_root(Pml4, 5)), Pml4 | 5 | KeepEntries);
}

TEST(PcidPolicy, AReleasedAsidIsFlushedBeforeItsNextAddressSpaceRuns)
{
    PcidPolicy policy(true, false);
    EXPECT_EQ(policy.asid_released(4095), TlbFlush::Deferred);
    EXPECT_EQ(policy.space_changed(64, false), TlbFlush::Deferred);
    EXPECT_TRUE(policy.is_stale(4095));
    EXPECT_TRUE(policy.is_stale(64));
    const uint64_t new_pml4 = 0x456000; // a new address space that got the same ASID
    EXPECT_EQ(policy.cr3_for_switch(policy.tagged_root(new_pml4, 4095)), new_pml4 | 4095);
    EXPECT_EQ(policy.cr3_for_switch(policy.tagged_root(new_pml4, 64)), new_pml4 | 64);
}
