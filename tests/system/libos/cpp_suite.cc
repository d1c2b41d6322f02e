// The library OS allocators and address-space library, C++ interface, on the real kernel: every
// physical address the untyped allocator predicts is checked against seL4_X86_Page_GetAddress,
// and every mapping the VSpace makes is written and read through.
#include "check.h"

#include <tessera/alloc/object_allocator.h>
#include <tessera/runtime.h>
#include <tessera/vspace/vspace.h>

using namespace tessera;
using alloc::Memory;
using alloc::Object;
using alloc::ObjectAllocator;
using alloc::SizeBits;
using alloc::SlotAllocator;
using alloc::UntypedAllocator;
using libos::CPtr;
using libos::PAddr;
using libos::PageSize;
using libos::VAddr;
using libos_suite::check;
using libos_suite::check_error;
using libos_suite::kernel_paddr;
using vspace::Ownership;
using vspace::VSpace;

namespace {

// One allocator stack: slots of the root CNode plus the untypeds it was given. The suite runs
// three over disjoint slot ranges and untypeds, so each sees exactly the memory it predicts.
struct Allocators {
    SlotAllocator slots;
    UntypedAllocator untypeds{slots};
    ObjectAllocator objects{slots, untypeds};
};

Allocators main_stack; // every BootInfo untyped
Allocators small;      // one 16 KiB untyped, 4 slots: the error cases
Allocators big;        // one 8 MiB untyped: chunks and exact placement
vspace::Mapping mappings[64];

constexpr seL4_Word SmallSlots = 4;
constexpr seL4_Word BigSlots = 32;

bool frame_at(const Object& frame, seL4_Word paddr)
{
    return frame.paddr.raw() == paddr && kernel_paddr(libos::raw(frame.cap)) == paddr;
}

volatile uint64_t* word_at(VAddr vaddr)
{
    return reinterpret_cast<volatile uint64_t*>(vaddr.raw());
}

// Small objects are placed at the untyped's watermark aligned up to their size; running out of
// memory or of slots loses nothing, and an emptied untyped is reused from its start.
void small_untyped_checks(const Object& parent)
{
    ObjectAllocator& objects = small.objects;
    const seL4_Word base = parent.paddr.raw();
    auto first = objects.frame();
    auto endpoint = objects.endpoint();
    auto second = objects.frame();
    check("alloc.watermark_aligned_to_object_size", first && endpoint && second &&
                                                        frame_at(first.value(), base) &&
                                                        frame_at(second.value(), base + 0x2000));
    auto too_big = objects.allocate(seL4_UntypedObject, SizeBits{13});
    check("alloc.out_of_memory_keeps_slot",
          too_big.code() == seL4_NotEnoughMemory && small.slots.available() == 1);
    auto third = objects.frame();
    check("alloc.last_frame_of_untyped", third && frame_at(third.value(), base + 0x3000));
    auto no_slot = objects.endpoint();
    check("alloc.out_of_slots",
          no_slot.code() == seL4_NotEnoughMemory && small.slots.available() == 0);

    const bool freed = first && endpoint && second && third && objects.free(first.value()) &&
                       objects.free(endpoint.value()) && objects.free(second.value()) &&
                       objects.free(third.value());
    check("alloc.free_returns_slots", freed && small.slots.available() == SmallSlots);
    auto again = objects.frame();
    check("alloc.emptied_untyped_reused_from_start", again && frame_at(again.value(), base));
    check_error("alloc.free_reused_frame",
                again ? objects.free(again.value()).code() : seL4_IllegalOperation, seL4_NoError);
    // The slot is empty and not allocated: the kernel's delete of a null capability succeeds, the
    // slot allocator refuses.
    check_error("alloc.double_free_refused", first ? objects.free(first.value()).code() : seL4_NoError,
                seL4_InvalidArgument);
}

// A large untyped is split into 1 MiB chunks for small objects; allocate_at fills the gap below
// an exact address with aligned untypeds that later requests use.
void big_untyped_checks(const Object& parent)
{
    ObjectAllocator& objects = big.objects;
    const seL4_Word base = parent.paddr.raw();
    auto frame = objects.frame();
    check("alloc.chunk_split_for_small_object",
          frame && frame_at(frame.value(), base) && big.untypeds.count() == 2 &&
              big.untypeds.record(1).parent == 0 && big.untypeds.record(1).size_bits == 20);

    const seL4_Word target = base + 0x305000;
    auto exact = objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{target});
    check("alloc.allocate_at_exact_address", exact && frame_at(exact.value(), target));
    // Fillers below the target: 1 MiB at +1 MiB and +2 MiB, 16 KiB at +3 MiB, 4 KiB at +3 MiB+16K.
    auto filler = objects.frame();
    check("alloc.allocate_at_fillers_reused", filler && frame_at(filler.value(), base + 0x304000));
    check_error("alloc.allocate_at_used_address",
                objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{target}).code(),
                seL4_DeleteFirst);
    check_error("alloc.allocate_at_misaligned",
                objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{target + 0x800}).code(),
                seL4_AlignmentError);
    check_error("alloc.allocate_at_uncovered",
                objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{base + (seL4_Word{1} << 23)})
                    .code(),
                seL4_FailedLookup);
}

// The root task's own address space from 1 TiB on: PML4 slot 2, where nothing is mapped yet, so
// the first page needs a new PDPT, page directory and page table.
void vspace_checks()
{
    constexpr seL4_Word Bottom = 0x10000000000ull;
    ObjectAllocator& objects = main_stack.objects;
    const seL4_Word slots_before = main_stack.slots.available();
    VSpace space(objects, CPtr{seL4_CapInitThreadVSpace}, VAddr{Bottom},
                 VAddr{Bottom + 0x40000000}, mappings, 64);

    auto first = space.reserve(4);
    check("vspace.reserve_lowest", first && first.value().base == VAddr{Bottom});
    const VAddr page1 = VAddr{Bottom} + PageSize;
    const VAddr page2 = page1 + PageSize;
    check_error("vspace.map_new_pages_with_tables",
                first ? space.map_new_pages(page1, 2, seL4_ReadWrite).code() : seL4_IllegalOperation,
                seL4_NoError);
    check("vspace.created_pdpt_directory_table", space.tables() == 3 && space.mapped_pages() == 2);
    *word_at(page1) = 0x0123456789abcdefull;
    *word_at(page2 + 0xff8) = 0xfedcba9876543210ull;
    check("vspace.write_read_through_mapping",
          *word_at(page1) == 0x0123456789abcdefull && *word_at(page2 + 0xff8) == 0xfedcba9876543210ull);

    const vspace::Mapping* found = space.lookup(page2 + 0x123);
    check("vspace.lookup_mapped_page",
          found && found->vaddr == page2 && found->ownership == Ownership::Owned &&
              kernel_paddr(libos::raw(found->frame.cap)) == found->frame.paddr.raw());
    check("vspace.lookup_guard_page", space.lookup(VAddr{Bottom}) == nullptr);

    auto borrowed = objects.frame();
    check_error("vspace.map_outside_reservation",
                borrowed ? space.map(borrowed.value(), VAddr{Bottom} + 4 * PageSize, seL4_ReadWrite,
                                     Ownership::Borrowed)
                               .code()
                         : seL4_IllegalOperation,
                seL4_InvalidArgument);
    check_error("vspace.map_over_mapped_page",
                borrowed ? space.map(borrowed.value(), page1, seL4_ReadWrite, Ownership::Borrowed).code()
                         : seL4_IllegalOperation,
                seL4_DeleteFirst);
    check_error("vspace.reserve_at_overlap", space.reserve_at(VAddr{Bottom} + PageSize, 1).code(),
                seL4_DeleteFirst);
    check_error("vspace.reserve_at_misaligned", space.reserve_at(VAddr{Bottom + 0x10800}, 1).code(),
                seL4_AlignmentError);
    check_error("vspace.reserve_at_outside_window", space.reserve_at(VAddr{Bottom - PageSize}, 1).code(),
                seL4_RangeError);

    // A borrowed frame survives its unmapping and shows the same bytes at a second address, in
    // another 2 MiB region (one more page table).
    auto second = space.reserve(2);
    auto far = space.reserve_at(VAddr{Bottom + 0x200000}, 1);
    bool moved = false;
    if (borrowed && second && far &&
        space.map(borrowed.value(), second.value().base, seL4_ReadWrite, Ownership::Borrowed)) {
        *word_at(second.value().base) = 0x5eed;
        moved = space.unmap(second.value().base, 1) &&
                main_stack.slots.is_allocated(borrowed.value().cap) &&
                space.map(borrowed.value(), far.value().base, seL4_ReadWrite, Ownership::Borrowed) &&
                *word_at(far.value().base) == 0x5eed;
    }
    check("vspace.borrowed_frame_remapped",
          moved && second.value().base == VAddr{Bottom} + 4 * PageSize && space.tables() == 4);

    // Unmapping an owned page frees its frame and slot.
    const CPtr owned = found ? found->frame.cap : libos::NullCap;
    check("vspace.unmap_frees_owned_frame", space.unmap(page2, 1) && space.lookup(page2) == nullptr &&
                                                !main_stack.slots.is_allocated(owned) &&
                                                space.mapped_pages() == 2);
    check("vspace.release_reservation",
          first && space.release(first.value()) && space.lookup(page1) == nullptr &&
              space.reservations() == 2 && space.reserve(1).value().base == VAddr{Bottom});

    // Everything back: the tables are deleted (so the kernel unmapped them) and the same window
    // needs all three levels again.
    const bool emptied = space.release_all() && borrowed && objects.free(borrowed.value());
    check("vspace.release_all_returns_slots", emptied && space.tables() == 0 &&
                                                  space.mapped_pages() == 0 &&
                                                  main_stack.slots.available() == slots_before);
    auto again = space.reserve(1);
    check("vspace.tables_recreated_after_free",
          again && space.map_new_pages(again.value().base, 1, seL4_ReadWrite) && space.tables() == 3 &&
              (*word_at(again.value().base) = 7, *word_at(again.value().base) == 7));
    check("vspace.final_release", space.release_all() && space.tables() == 0);
}

// Mapping runs out of slots half way (three tables and one frame fit in four slots): nothing of
// the request stays mapped.
void vspace_exhaustion_checks()
{
    constexpr seL4_Word Bottom = 0x18000000000ull;
    VSpace space(small.objects, CPtr{seL4_CapInitThreadVSpace}, VAddr{Bottom},
                 VAddr{Bottom + 0x40000000}, mappings, 64);
    auto range = space.reserve(2);
    check_error("vspace.map_new_pages_out_of_memory",
                range ? space.map_new_pages(range.value().base, 2, seL4_ReadWrite).code()
                      : seL4_IllegalOperation,
                seL4_NotEnoughMemory);
    check("vspace.map_new_pages_all_or_nothing",
          space.mapped_pages() == 0 && space.lookup(VAddr{Bottom}) == nullptr &&
              space.release_all() && small.slots.available() == SmallSlots);
}

} // namespace

int main(void)
{
    seL4_BootInfo* bi = tessera_boot_info();
    const seL4_Word end = bi->empty.end;
    const seL4_Word small_start = end - SmallSlots - BigSlots;
    const CPtr root{seL4_CapInitThreadCNode};

    check("alloc.slots_init",
          main_stack.slots.init(root, seL4_SlotRegion{bi->empty.start, small_start}) &&
              main_stack.slots.available() == small_start - bi->empty.start);
    check_error("alloc.slots_init_empty_region",
                small.slots.init(root, seL4_SlotRegion{end, end}).code(), seL4_InvalidArgument);
    check("alloc.untypeds_from_boot_info",
          main_stack.untypeds.add_boot_info(*bi) &&
              main_stack.untypeds.count() == bi->untyped.end - bi->untyped.start);

    auto frame = main_stack.objects.frame();
    check("alloc.frame_paddr_predicted",
          frame && frame.value().paddr.raw() != 0 && frame_at(frame.value(), frame.value().paddr.raw()));
    auto large = main_stack.objects.allocate(seL4_X86_LargePageObject);
    check("alloc.large_page_paddr_predicted",
          large && large.value().paddr.is_aligned(21) &&
              frame_at(large.value(), large.value().paddr.raw()));
    check_error("alloc.unknown_type", main_stack.objects.allocate(999).code(), seL4_InvalidArgument);

    auto small_parent = main_stack.objects.allocate(seL4_UntypedObject, SizeBits{14});
    auto big_parent = main_stack.objects.allocate(seL4_UntypedObject, SizeBits{23});
    if (!small_parent || !big_parent) {
        check("alloc.untyped_children", false);
        return libos_suite::summary();
    }
    (void)small.slots.init(root, seL4_SlotRegion{small_start, small_start + SmallSlots});
    (void)small.untypeds.add(small_parent.value().cap, small_parent.value().paddr, SizeBits{14},
                             Memory::Ram);
    (void)big.slots.init(root, seL4_SlotRegion{small_start + SmallSlots, end});
    (void)big.untypeds.add(big_parent.value().cap, big_parent.value().paddr, SizeBits{23}, Memory::Ram);

    small_untyped_checks(small_parent.value());
    big_untyped_checks(big_parent.value());
    vspace_checks();
    vspace_exhaustion_checks();
    return libos_suite::summary();
}
