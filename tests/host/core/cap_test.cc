// Capability representation: slot size, each kind's fields, rights masking and derivation rules.

#include <gtest/gtest.h>

#include <tessera/abi/object_sizes.h>

#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"
#include "cap/cap_region.h"
#include "cap/slot.h"
#include "cdt/derive.h"

namespace tessera::core {
namespace {

TEST(Slot, IsExactlyOneSeL4Cte)
{
    EXPECT_EQ(sizeof(Slot), 32u);
    Slot s;
    EXPECT_TRUE(s.is_empty());
    EXPECT_TRUE(s.mdb.is_empty());
}

TEST(MdbNode, FlagsLiveBesideTheNextLink)
{
    alignas(32) Slot a, b;
    a.mdb.set_revocable(true);
    a.mdb.set_next(&b);
    a.mdb.set_first_badged(true);
    EXPECT_EQ(a.mdb.next(), &b);
    EXPECT_TRUE(a.mdb.is_revocable());
    EXPECT_TRUE(a.mdb.is_first_badged());
    a.mdb.set_next(nullptr);
    EXPECT_EQ(a.mdb.next(), nullptr);
    EXPECT_TRUE(a.mdb.is_revocable());
    a.mdb.set_revocable(false);
    EXPECT_FALSE(a.mdb.is_revocable());
    EXPECT_TRUE(a.mdb.is_first_badged());
}

TEST(CapKinds, UntypedRoundTrips)
{
    auto u = UntypedCap::make(PAddr{0x1234'5000'0000}, SizeBits{28}, Device::Yes, 77);
    EXPECT_EQ(u.cap().type(), CapType::Untyped);
    EXPECT_EQ(u.base(), PAddr{0x1234'5000'0000});
    EXPECT_EQ(u.size_bits(), SizeBits{28});
    EXPECT_EQ(u.device(), Device::Yes);
    EXPECT_EQ(u.free_index(), 77u);
    EXPECT_EQ(u.free_offset(), 77u << seL4_MinUntypedBits);
    EXPECT_EQ(u.with_free_index(3).free_index(), 3u);
    EXPECT_EQ(u.with_free_index(3).base(), u.base());
    EXPECT_EQ(UntypedCap::make(PAddr{0}, SizeBits{47}, Device::No, 0).size_bits(), SizeBits{47});
}

TEST(CapKinds, EndpointKeepsBadgeAndRightsApart)
{
    auto e =
        EndpointCap::make(PAddr{0xf'ffff'ffff'fff0}, Badge{~0ull}, CapRights::from_word(0b0101));
    EXPECT_EQ(e.cap().type(), CapType::Endpoint);
    EXPECT_EQ(e.object(), PAddr{0xf'ffff'ffff'fff0});
    EXPECT_EQ(e.badge(), Badge{~0ull});
    EXPECT_TRUE(e.can_send());
    EXPECT_FALSE(e.can_receive());
    EXPECT_TRUE(e.can_grant());
    EXPECT_FALSE(e.can_grant_reply());
}

TEST(CapKinds, CNodeGuardAndRadix)
{
    auto c = CNodeCap::make(PAddr{0x8000'0020}, 12, 52, 0xabc);
    EXPECT_EQ(c.object(), PAddr{0x8000'0020});
    EXPECT_EQ(c.radix(), 12u);
    EXPECT_EQ(c.guard_size(), 52u);
    EXPECT_EQ(c.guard(), 0xabcu);
    EXPECT_EQ(c.slot_address(3), PAddr{0x8000'0020 + 3 * 32});
    auto g = c.with_guard(5, 3);
    EXPECT_EQ(g.guard(), 5u);
    EXPECT_EQ(g.guard_size(), 3u);
    EXPECT_EQ(g.radix(), 12u);
}

TEST(CapKinds, ZombieSizes)
{
    auto z = ZombieCap::make(PAddr{0x1000}, 4, 16);
    EXPECT_EQ(z.size_bits(), SizeBits{4 + seL4_SlotBits});
    EXPECT_EQ(z.number(), 16u);
    EXPECT_EQ(z.with_number(15).number(), 15u);
    auto t = ZombieCap::make(PAddr{0x800}, ZombieCap::TcbZombie, TcbSlotCount);
    EXPECT_TRUE(t.is_tcb());
    EXPECT_EQ(t.size_bits(), SizeBits{seL4_TCBBits});
}

TEST(CapKinds, FrameMappingAndDerivedCopyIsUnmapped)
{
    auto f = FrameCap::make(PAddr{0x20'0000}, FrameSize::Large, VmRights::ReadWrite, Device::No);
    EXPECT_EQ(f.size_bits(), SizeBits{seL4_LargePageBits});
    auto mapped = f.with_mapping(Asid{5}, VAddr{0x40'0000});
    EXPECT_TRUE(mapped.is_mapped());
    EXPECT_EQ(mapped.mapped_asid(), Asid{5});
    EXPECT_EQ(mapped.mapped_address(), VAddr{0x40'0000});
    Slot s;
    auto derived = derive_cap(s, mapped.cap());
    ASSERT_TRUE(derived);
    EXPECT_FALSE(FrameCap{derived.value()}.is_mapped());
    EXPECT_EQ(FrameCap{derived.value()}.object(), f.object());
}

TEST(CapKinds, IoPortRange)
{
    auto p = IoPortCap::make(IoPort{0x3f8}, IoPort{0x3ff});
    EXPECT_EQ(p.first(), IoPort{0x3f8});
    EXPECT_EQ(p.last(), IoPort{0x3ff});
}

TEST(CapRegion, ObjectsReportTheirMemory)
{
    EXPECT_EQ(region_of(CNodeCap::make(PAddr{0x4000}, 4, 0, 0).cap()),
              (Region{PAddr{0x4000}, SizeBits{4 + seL4_SlotBits}}));
    EXPECT_EQ(region_of(TcbCap::make(PAddr{0x800}).cap()),
              (Region{PAddr{0x800}, SizeBits{seL4_TCBBits}}));
    EXPECT_TRUE(is_physical(PageTableCap::make(PAddr{0x1000}).cap()));
    EXPECT_FALSE(is_physical(ReplyCap::make(PAddr{0x800}, ReplyMaster::No, true).cap()));
    EXPECT_FALSE(is_physical(IrqControlCap::make().cap()));
    Region big{PAddr{0x10000}, SizeBits{16}};
    EXPECT_TRUE(big.contains(Region{PAddr{0x1fff0}, SizeBits{4}}));
    EXPECT_FALSE(big.contains(Region{PAddr{0x1fff0}, SizeBits{5}}));
    EXPECT_TRUE(big.overlaps(Region{PAddr{0x1fff0}, SizeBits{5}}));
}

TEST(MaskRights, EndpointRightsOnlyShrink)
{
    auto e = EndpointCap::make(PAddr{0x100}, Badge{0}, CapRights::from_word(0b1011));
    EndpointCap m{mask_cap_rights(CapRights::from_word(0b0111), e.cap())};
    EXPECT_TRUE(m.can_send());
    EXPECT_TRUE(m.can_receive());
    EXPECT_FALSE(m.can_grant());       // never had it
    EXPECT_FALSE(m.can_grant_reply()); // masked away
}

TEST(MaskRights, FrameWriteNeedsRead)
{
    auto f = FrameCap::make(PAddr{0x1000}, FrameSize::Small, VmRights::ReadWrite, Device::No);
    auto rights_of = [&](Word w) {
        return FrameCap{mask_cap_rights(CapRights::from_word(w), f.cap())}.rights();
    };
    EXPECT_EQ(rights_of(0b11), VmRights::ReadWrite);
    EXPECT_EQ(rights_of(0b10), VmRights::ReadOnly);
    EXPECT_EQ(rights_of(0b01), VmRights::KernelOnly);
    EXPECT_EQ(rights_of(0b00), VmRights::KernelOnly);
}

TEST(MaskRights, NotificationAndReply)
{
    auto n = NotificationCap::make(PAddr{0x20}, Badge{0}, CapRights::all());
    NotificationCap m{mask_cap_rights(CapRights::from_word(0b10), n.cap())};
    EXPECT_FALSE(m.can_send());
    EXPECT_TRUE(m.can_receive());
    auto r = ReplyCap::make(PAddr{0x800}, ReplyMaster::No, true);
    EXPECT_FALSE(ReplyCap{mask_cap_rights(CapRights::from_word(0b1011), r.cap())}.can_grant());
}

TEST(UpdateCapData, BadgesOnlyUnbadgedCapsAndOnlyWhenMinting)
{
    auto e = EndpointCap::make(PAddr{0x100}, Badge{0}, CapRights::all());
    EXPECT_EQ(EndpointCap{update_cap_data(UpdateMode::SetBadge, 9, e.cap())}.badge(), Badge{9});
    EXPECT_TRUE(update_cap_data(UpdateMode::Preserve, 9, e.cap()).is_null());
    EXPECT_TRUE(update_cap_data(UpdateMode::SetBadge, 9, e.with_badge(Badge{1}).cap()).is_null());
    auto u = UntypedCap::make(PAddr{0}, SizeBits{12}, Device::No, 0);
    EXPECT_EQ(update_cap_data(UpdateMode::Preserve, 9, u.cap()), u.cap());
}

TEST(UpdateCapData, CNodeGuardFromCapDataWord)
{
    auto c = CNodeCap::make(PAddr{0x4000}, 8, 0, 0);
    Word data = (Word{0x5} << 6) | 3; // guard 5, 3 bits
    CNodeCap g{update_cap_data(UpdateMode::Preserve, data, c.cap())};
    EXPECT_EQ(g.guard_size(), 3u);
    EXPECT_EQ(g.guard(), 5u);
    // The guard is cut to its size.
    CNodeCap cut{update_cap_data(UpdateMode::Preserve, (Word{0xff} << 6) | 2, c.cap())};
    EXPECT_EQ(cut.guard(), 3u);
    // Radix + guard may not exceed the word.
    EXPECT_TRUE(update_cap_data(UpdateMode::Preserve, 57, c.cap()).is_null());
    EXPECT_FALSE(update_cap_data(UpdateMode::Preserve, 56, c.cap()).is_null());
}

TEST(DeriveCap, RefusesWhatSeL4Refuses)
{
    Slot s;
    auto null_of = [&](Cap c) {
        auto d = derive_cap(s, c);
        return d && d.value().is_null();
    };
    EXPECT_TRUE(null_of(ZombieCap::make(PAddr{0x1000}, 2, 4).cap()));
    EXPECT_TRUE(null_of(IrqControlCap::make().cap()));
    EXPECT_TRUE(null_of(ReplyCap::make(PAddr{0x800}, ReplyMaster::No, true).cap()));
    EXPECT_TRUE(null_of(IoPortControlCap::make().cap()));
    EXPECT_FALSE(null_of(IoPortCap::make(IoPort{1}, IoPort{2}).cap()));
    EXPECT_FALSE(null_of(AsidControlCap::make().cap()));
    auto unmapped = derive_cap(s, PageTableCap::make(PAddr{0x1000}).cap());
    ASSERT_FALSE(unmapped);
    EXPECT_EQ(unmapped.error().code(), seL4_IllegalOperation);
    auto mapped = derive_cap(s, Pml4Cap::make(PAddr{0x1000}).with_mapping(Asid{1}, VAddr{0}).cap());
    EXPECT_TRUE(mapped);
}

} // namespace
} // namespace tessera::core
