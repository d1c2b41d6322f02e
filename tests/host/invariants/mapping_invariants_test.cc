// Address-space invariants over a stand-in for the paging structures: every ASID names a PML4
// that a live capability is assigned, and every mapped frame is recorded by a live frame
// capability. Stale records in capabilities (seL4 leaves them) are not errors.

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "cap/cap_arch_kinds.h"
#include "core_world.h"
#include "invariant_test_support.h"

namespace tessera::core::test {
namespace {

// ASIDs and the frames each top-level table maps, as the kernel's walk would report them.
class FakePagingStructures final : public VSpaceView {
public:
    std::map<Word, PAddr> asids;
    std::map<Word, std::vector<FrameMapping>> frames; // by root

    Word asid_limit() const override { return 4096; }
    PAddr root_of(Asid asid) const override
    {
        auto found = asids.find(asid.raw());
        return found == asids.end() ? PAddr{0} : found->second;
    }
    void for_each_frame(PAddr root, MappingVisitor& visitor) const override
    {
        auto found = frames.find(root.raw());
        if (found == frames.end())
            return;
        for (const FrameMapping& mapping : found->second)
            if (!visitor.visit(mapping))
                return;
    }
};

struct MappingFixture : ::testing::Test {
    CoreWorld w;
    CpuState cpu;
    FakePagingStructures tables;
    ArchTables arch{&tables, nullptr};
    std::unique_ptr<InvariantWorkspace> workspace = std::make_unique<InvariantWorkspace>();
    // Unused memory between the root CNode and the untyped.
    PAddr pml4{CoreWorld::PhysBase + 0x10000};
    PAddr frame_a{CoreWorld::PhysBase + 0x11000};
    PAddr frame_b{CoreWorld::PhysBase + 0x12000};
    static constexpr Word Asid5 = 5;

    std::string run()
    {
        std::vector<Slot*> slots = slots_of(w.ctx, w.root());
        return check_invariants(w.ctx, RootSlots{slots.data(), slots.size()}, cpu, *workspace,
                                KernelTables{nullptr, &arch})
            .line();
    }
    void assign_pml4(Word slot, Word asid)
    {
        insert_root_cap(w.slot(slot), Pml4Cap::make(pml4).with_mapping(Asid{asid}, VAddr{0}).cap());
        tables.asids[asid] = pml4;
    }
    void frame_cap(Word slot, PAddr frame, Word asid, Word vaddr)
    {
        insert_root_cap(w.slot(slot), FrameCap::make(frame, FrameSize::Small, VmRights::ReadWrite,
                                                     Device::No)
                                          .with_mapping(Asid{asid}, VAddr{vaddr})
                                          .cap());
    }
    // The line for a mapping of a 4 KiB frame in ASID 5 that no capability records.
    static std::string unrecorded(PAddr frame, const std::string& vaddr)
    {
        return "vspace: ASID 5 maps frame " + hex(frame.raw()) + " (2^12 bytes) at " + vaddr +
               ", and no live frame capability records that mapping";
    }
    void map(PAddr frame, Word vaddr)
    {
        tables.frames[pml4.raw()].push_back({VAddr{vaddr}, frame, SizeBits{12}});
    }
};

TEST_F(MappingFixture, HoldsWhenEveryMappingHasItsFrameCapability)
{
    assign_pml4(20, Asid5);
    frame_cap(21, frame_a, Asid5, 0x1000);
    frame_cap(22, frame_b, Asid5, 0x200000);
    map(frame_a, 0x1000);
    map(frame_b, 0x200000);
    EXPECT_EQ(run(), "all invariants hold");
}

TEST_F(MappingFixture, ReportsAMappedFrameWithoutACapability)
{
    assign_pml4(20, Asid5);
    frame_cap(21, frame_a, Asid5, 0x1000);
    map(frame_a, 0x1000);
    map(frame_b, 0x7000);
    EXPECT_EQ(run(), unrecorded(frame_b, "0x7000"));
}

TEST_F(MappingFixture, ReportsACapabilityThatRecordsAnotherAddress)
{
    assign_pml4(20, Asid5);
    frame_cap(21, frame_a, Asid5, 0x3000);
    map(frame_a, 0x1000);
    EXPECT_EQ(run(), unrecorded(frame_a, "0x1000"));
}

TEST_F(MappingFixture, ReportsAFrameStillMappedAfterItsCapabilityWasDeleted)
{
    assign_pml4(20, Asid5);
    frame_cap(21, frame_a, Asid5, 0x1000);
    map(frame_a, 0x1000);
    ASSERT_EQ(run(), "all invariants hold");
    w.slot(21).cap = Cap{};
    w.slot(21).mdb = {};
    EXPECT_EQ(run(), unrecorded(frame_a, "0x1000"));
}

TEST_F(MappingFixture, ReportsAnAsidThatNamesAnUnassignedPml4)
{
    insert_root_cap(w.slot(20), Pml4Cap::make(pml4).cap()); // never assigned
    tables.asids[7] = pml4;
    EXPECT_EQ(run(), "asid: ASID 7 names PML4 " + hex(pml4.raw()) +
                         ", which no live PML4 capability is assigned");
}

TEST_F(MappingFixture, AllowsStaleRecordsInCapabilities)
{
    // A frame capability still recording a mapping in a deleted address space, and a PML4
    // capability still recording an ASID whose pool was deleted: seL4 leaves both.
    frame_cap(21, frame_a, 9, 0x5000);
    insert_root_cap(w.slot(20), Pml4Cap::make(pml4).with_mapping(Asid{11}, VAddr{0}).cap());
    EXPECT_EQ(run(), "all invariants hold");
}

} // namespace
} // namespace tessera::core::test
