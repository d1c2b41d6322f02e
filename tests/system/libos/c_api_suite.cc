// The library OS C interface (<tessera/alloc.h>, <tessera/vspace.h>) on the real kernel: the
// process-wide allocator over the whole BootInfo and the process-wide VSpace of the root task.
#include "check.h"

#include <tessera/alloc.h>
#include <tessera/runtime.h>
#include <tessera/vspace.h>
#include <tessera/vspace/vspace.h>

using libos_suite::check;
using libos_suite::check_error;
using libos_suite::kernel_paddr;

namespace {

constexpr seL4_Word Page = 4096;
// PML4 slot 4 (2 TiB): untouched by the root task's image, so the window starts empty.
constexpr seL4_Word Bottom = 0x20000000000ull;
constexpr seL4_Word Top = Bottom + 0x40000000;

volatile uint64_t* word_at(seL4_Word vaddr)
{
    return reinterpret_cast<volatile uint64_t*>(vaddr);
}

void alloc_checks(const seL4_BootInfo* bi)
{
    tessera_object_t object;
    check_error("c.alloc_before_init", tessera_alloc_object(seL4_X86_4K, 0, &object),
                seL4_IllegalOperation);
    check_error("c.alloc_init_null", tessera_alloc_init(nullptr), seL4_InvalidArgument);
    check_error("c.alloc_init", tessera_alloc_init(bi), seL4_NoError);

    tessera_object_t frame{};
    check("c.alloc_frame_paddr_predicted",
          tessera_alloc_object(seL4_X86_4K, 0, &frame) == seL4_NoError && frame.type == seL4_X86_4K &&
              frame.paddr != 0 && kernel_paddr(frame.cptr) == frame.paddr);
    const seL4_Word first_paddr = frame.paddr;
    const seL4_CPtr first_slot = frame.cptr;
    check_error("c.alloc_free", tessera_alloc_free(&frame), seL4_NoError);
    check("c.alloc_reuses_slot_and_memory",
          tessera_alloc_object(seL4_X86_4K, 0, &frame) == seL4_NoError && frame.cptr == first_slot &&
              frame.paddr == first_paddr && kernel_paddr(frame.cptr) == first_paddr);
    check_error("c.alloc_unknown_type", tessera_alloc_object(999, 0, &object), seL4_InvalidArgument);

    // An exact address in the largest untyped, which best fit has left untouched so far.
    seL4_Word largest = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i)
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits > bi->untypedList[largest].sizeBits)
            largest = i;
    const seL4_Word target = bi->untypedList[largest].paddr + 0x7000;
    tessera_object_t placed{};
    check("c.alloc_object_at",
          tessera_alloc_object_at(seL4_X86_4K, 0, target, &placed) == seL4_NoError &&
              placed.paddr == target && kernel_paddr(placed.cptr) == target);
    check_error("c.alloc_object_at_used", tessera_alloc_object_at(seL4_X86_4K, 0, target, &object),
                seL4_DeleteFirst);

    seL4_CPtr slot = 0;
    check("c.alloc_slot", tessera_alloc_slot(&slot) == seL4_NoError && slot >= bi->empty.start &&
                              slot < bi->empty.end && slot != frame.cptr);
    check_error("c.free_slot", tessera_alloc_free_slot(slot), seL4_NoError);
    check_error("c.free_slot_twice", tessera_alloc_free_slot(slot), seL4_InvalidArgument);
    check_error("c.free_slot_outside_region", tessera_alloc_free_slot(seL4_CapInitThreadCNode),
                seL4_RangeError);
    (void)tessera_alloc_free(&frame);
    (void)tessera_alloc_free(&placed);
}

void vspace_checks()
{
    check_error("c.vspace_init_misaligned", tessera_vspace_init(Bottom + 1, Top), seL4_InvalidArgument);
    check_error("c.vspace_init_kernel_half", tessera_vspace_init(Bottom, 0xffff800000000000ull),
                seL4_InvalidArgument);
    check_error("c.vspace_init", tessera_vspace_init(Bottom, Top), seL4_NoError);

    seL4_Word first = 0;
    check("c.new_pages_above_guard",
          tessera_vspace_new_pages(3, 1, seL4_ReadWrite, &first) == seL4_NoError &&
              first == Bottom + Page);
    bool written = first != 0;
    for (seL4_Word i = 0; written && i < 3; ++i)
        *word_at(first + i * Page) = 0xa000 + i;
    for (seL4_Word i = 0; written && i < 3; ++i)
        written = *word_at(first + i * Page) == 0xa000 + i;
    check("c.new_pages_write_read", written);

    tessera::vspace::VSpace* space = tessera::vspace::process_vspace();
    check("c.process_vspace_lookup", space && space->lookup(tessera::libos::VAddr{first}) &&
                                         !space->lookup(tessera::libos::VAddr{Bottom}) &&
                                         space->mapped_pages() == 3);

    seL4_Word second = 0;
    check("c.new_pages_next_range",
          tessera_vspace_new_pages(2, 1, seL4_ReadWrite, &second) == seL4_NoError &&
              second == first + 4 * Page);
    *word_at(second + Page) = 99;
    check_error("c.free_pages", tessera_vspace_free_pages(first + Page), seL4_NoError);
    check_error("c.free_pages_twice", tessera_vspace_free_pages(first), seL4_InvalidArgument);
    seL4_Word again = 0;
    check("c.new_pages_reuse_freed_range",
          tessera_vspace_new_pages(1, 1, seL4_ReadWrite, &again) == seL4_NoError && again == first &&
              *word_at(second + Page) == 99 && space->mapped_pages() == 3);

    // More pages than the process VSpace has mapping records (1024): refused and rolled back.
    seL4_Word huge = 0;
    check_error("c.new_pages_too_many",
                tessera_vspace_new_pages(1100, 0, seL4_ReadWrite, &huge), seL4_NotEnoughMemory);
    check("c.new_pages_rolled_back", space->mapped_pages() == 3 && space->reservations() == 2);
    check_error("c.free_pages_last", tessera_vspace_free_pages(second), seL4_NoError);
}

} // namespace

int main(void)
{
    alloc_checks(tessera_boot_info());
    vspace_checks();
    return libos_suite::summary();
}
