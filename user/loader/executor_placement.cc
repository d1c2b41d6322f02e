// Frames placed other than anywhere in RAM: contiguous runs (a DMA region whose physical
// address a program learns) and pages of PCI BARs found at boot; and the device info pages.
#include "executor.h"

#include <string.h>

namespace tessera::loader {
namespace {

using libos::make_error;
using libos::PAddr;
using libos::SizeBits;

constexpr seL4_Word RootDepth = seL4_WordBits;

seL4_Word frame_bits(uint32_t kind)
{
    return kind == TESSERA_OBJECT_FRAME_2M ? seL4_LargePageBits : seL4_PageBits;
}

seL4_Word ceil_log2(seL4_Word value)
{
    seL4_Word bits = 0;
    while ((seL4_Word{1} << bits) < value)
        ++bits;
    return bits;
}

} // namespace

Result<PAddr> Executor::placed_address(const struct tessera_op_create_object& op) const
{
    if (op.placement == TESSERA_PLACE_PCI_BAR)
        return pci_.bar_page(op.at.pci.device, op.at.pci.bar, op.paddr);
    return PAddr{op.paddr};
}

// A run is made all at once, when any of its frames is first needed: one untyped of the next
// power of two, its frames retyped from it in object order (seL4 places each right after the
// previous one), the rest given back to the allocator as smaller untypeds.
Result<void> Executor::create_run(const struct tessera_op_create_object& op)
{
    const uint32_t first = op.at.run.first, count = op.at.run.count;
    const seL4_Word page_bits = frame_bits(op.object_kind);
    seL4_Word bits = ceil_log2(seL4_Word(count) << page_bits);
    if (bits < seL4_Word(seL4_MinUntypedBits))
        bits = seL4_MinUntypedBits;
    auto untyped = allocator_.allocate(seL4_UntypedObject, SizeBits{bits});
    if (!untyped)
        return untyped.error();
    const seL4_Word type = op.object_kind == TESSERA_OBJECT_FRAME_2M ? seL4_X86_LargePageObject : seL4_X86_4K;
    for (uint32_t i = 0; i < count; ++i) {
        auto slot = allocator_.slots().allocate();
        if (!slot)
            return slot.error();
        auto retyped = libos::check(seL4_Untyped_Retype(raw(untyped.value().cap), type, 0, seL4_CapInitThreadCNode,
                                                        0, 0, raw(slot.value()), 1),
                                    "retype a frame of a contiguous region");
        if (!retyped) {
            (void)allocator_.slots().free(slot.value());
            return retyped;
        }
        objects_table_[first + i] = LoaderObject{slot.value(), 0, Where::Root, uint8_t(op.object_kind), 0, false};
        count_slot(+1);
    }
    auto returned = give_back(untyped.value().cap, untyped.value().paddr, seL4_Word(count) << page_bits,
                              raw(untyped.value().size_bits));
    if (!returned)
        return returned;
    // The frames hang off this untyped; it goes where nothing can revoke it.
    auto kept = vault_.take(untyped.value().cap);
    if (!kept)
        return kept.error();
    (void)allocator_.slots().free(untyped.value().cap);
    return {};
}

// The part of a run's untyped its frames do not use becomes untypeds the allocator can use:
// each the largest power of two that is aligned where it starts and fits before the end.
Result<void> Executor::give_back(CPtr untyped, PAddr base, seL4_Word used, seL4_Word size_bits)
{
    const seL4_Word end = seL4_Word{1} << size_bits;
    for (seL4_Word offset = used; offset < end;) {
        seL4_Word bits = seL4_MinUntypedBits;
        while (bits + 1 < size_bits && offset % (seL4_Word{2} << bits) == 0 && offset + (seL4_Word{2} << bits) <= end)
            ++bits;
        if (offset % (seL4_Word{1} << bits) != 0 || offset + (seL4_Word{1} << bits) > end)
            break; // below the smallest untyped: left unused
        auto slot = allocator_.slots().allocate();
        if (!slot)
            return slot.error();
        auto retyped = libos::check(seL4_Untyped_Retype(raw(untyped), seL4_UntypedObject, bits, seL4_CapInitThreadCNode,
                                                        0, 0, raw(slot.value()), 1),
                                    "give back the rest of a contiguous region");
        if (!retyped) {
            (void)allocator_.slots().free(slot.value());
            return retyped;
        }
        auto added = allocator_.untypeds().add(slot.value(), base + offset, SizeBits{bits}, alloc::Memory::Ram);
        if (!added) {
            // The allocator's table is full: the memory stays unused, nothing breaks.
            (void)seL4_CNode_Delete(seL4_CapInitThreadCNode, raw(slot.value()), RootDepth);
            (void)allocator_.slots().free(slot.value());
            return {};
        }
        offset += seL4_Word{1} << bits;
    }
    return {};
}

Result<void> Executor::pci_describe(const struct tessera_op_pci_describe& op)
{
    auto opened = open_window(op.frame);
    if (!opened)
        return opened;
    pci_.describe(op.device, op.bar_vaddr, *reinterpret_cast<tessera_pci_device_info*>(window_.raw()));
    return {};
}

} // namespace tessera::loader
