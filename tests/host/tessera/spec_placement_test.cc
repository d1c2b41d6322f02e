// The reader's rules for the placements and PCI ops: a contiguous run is whole and in order,
// a BAR frame names a device found before it, PCI_FIND counts its devices in order.
#include <cstring>
#include <gtest/gtest.h>

#include "spec_writer.h"
#include "tessera/spec_reader.h"

namespace tessera::sdf {
namespace {

const char* verdict(const SpecBuilder& builder)
{
    const auto blob = builder.serialise();
    std::vector<uint8_t> kinds(builder.object_count() + 1);
    auto spec = spec::SpecView::open(blob.data(), blob.size(), kinds.data(), kinds.size());
    return spec ? nullptr : spec.error().detail;
}

union tessera_spec_op find_op(uint32_t device)
{
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = TESSERA_OP_PCI_FIND;
    op.pci_find.device = device;
    op.pci_find.match = TESSERA_PCI_MATCH_ADDRESS;
    op.pci_find.slot = 4;
    op.pci_find.name = TESSERA_NO_NAME;
    return op;
}

TEST(SpecPlacement, WholeRunInOrderIsAccepted)
{
    SpecBuilder b;
    for (uint32_t i = 0; i < 3; ++i)
        b.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, 0, 3, "");
    EXPECT_EQ(verdict(b), nullptr);
}

TEST(SpecPlacement, RunCutShortOrInterruptedIsRefused)
{
    SpecBuilder short_run;
    short_run.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, 0, 3, "");
    short_run.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, 0, 3, "");
    EXPECT_STREQ(verdict(short_run), "a contiguous run ends before its last frame");

    SpecBuilder interrupted;
    interrupted.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, 0, 2, "");
    interrupted.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, "");
    EXPECT_STREQ(verdict(interrupted), "a contiguous run is interrupted by another object");

    SpecBuilder mixed;
    mixed.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, 0, 2, "");
    mixed.create_placed(TESSERA_OBJECT_FRAME_2M, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, 0, 2, "");
    EXPECT_NE(verdict(mixed), nullptr);

    SpecBuilder not_frames;
    not_frames.create_placed(TESSERA_OBJECT_TCB, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, 0, 1, "");
    EXPECT_NE(verdict(not_frames), nullptr);
}

TEST(SpecPlacement, BarFrameNeedsADeviceFoundBeforeIt)
{
    SpecBuilder early;
    early.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_PCI_BAR, 0, 0, 4, "");
    early.add(find_op(0));
    EXPECT_STREQ(verdict(early), "pci bar placement names an unknown device or a BAR above 5");

    SpecBuilder fine;
    fine.add(find_op(0));
    fine.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_PCI_BAR, 0x1000, 0, 4, "");
    EXPECT_EQ(verdict(fine), nullptr);

    SpecBuilder bar6;
    bar6.add(find_op(0));
    bar6.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_PCI_BAR, 0, 0, 6, "");
    EXPECT_NE(verdict(bar6), nullptr);

    SpecBuilder misaligned;
    misaligned.add(find_op(0));
    misaligned.create_placed(TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_PCI_BAR, 0x800, 0, 1, "");
    EXPECT_NE(verdict(misaligned), nullptr);
}

TEST(SpecPlacement, PciFindCountsDevicesInOrderAndChecksFields)
{
    SpecBuilder skipped;
    skipped.add(find_op(1));
    EXPECT_STREQ(verdict(skipped), "pci_find: device index out of order or above the limit");

    SpecBuilder bad_slot;
    auto op = find_op(0);
    op.pci_find.slot = 32;
    bad_slot.add(op);
    EXPECT_NE(verdict(bad_slot), nullptr);

    SpecBuilder bad_vector;
    op = find_op(0);
    op.pci_find.interrupt = TESSERA_PCI_INTERRUPT_MSIX;
    op.pci_find.vector = 200;
    bad_vector.add(op);
    EXPECT_NE(verdict(bad_vector), nullptr);

    SpecBuilder irq_of_nothing;
    irq_of_nothing.irq_msi(0, 0, 0, 0, 3, 1);
    EXPECT_STREQ(verdict(irq_of_nothing), "irq_get_msi: unknown PCI device");
}

} // namespace
} // namespace tessera::sdf
