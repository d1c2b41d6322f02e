// One x86_64 address space (a PML4 capability) seen from the program that manages it: reserved
// virtual ranges, the frames mapped in them, and the paging structures created on the way. A map
// that seL4 answers with FailedLookup creates the missing PDPT, page directory or page table (the
// level is in the reply's bits-left word) and tries again, as seL4 programs do.
#pragma once

#include <tessera/alloc/object_allocator.h>

namespace tessera::vspace {

using alloc::Object;
using libos::CPtr;
using libos::Result;
using libos::VAddr;

// Whether unmapping gives the frame back to the object allocator.
enum class Ownership : uint8_t { Borrowed, Owned };

struct Mapping {
    VAddr vaddr;
    Object frame;
    Ownership ownership;
};

struct Reservation {
    VAddr base;
    seL4_Word pages = 0;
    VAddr top() const { return base + pages * libos::PageSize; }
};

class VSpace {
public:
    static constexpr unsigned MaxReservations = 64;
    static constexpr unsigned MaxTables = 128;

    // Manages [bottom, top) of the address space `root`. Mapping records live in the caller's
    // `storage` (one per mapped page), so the caller decides how large the space may grow.
    VSpace(alloc::ObjectAllocator& objects, CPtr root, VAddr bottom, VAddr top, Mapping* storage,
           unsigned capacity);

    // The lowest free range of `pages` pages. NotEnoughMemory when none is left.
    Result<Reservation> reserve(seL4_Word pages);
    // Exactly [base, base + pages pages). AlignmentError, RangeError outside the managed window,
    // DeleteFirst when it overlaps another reservation.
    Result<Reservation> reserve_at(VAddr base, seL4_Word pages);
    // Unmaps every page of the reservation (freeing owned frames) and forgets it.
    Result<void> release(const Reservation& reservation);

    // Maps one frame at `vaddr`, which must lie in a reservation and be free (DeleteFirst);
    // `attributes` say how it is cached (seL4_X86_CacheDisabled for device memory).
    Result<void> map(const Object& frame, VAddr vaddr, seL4_CapRights_t rights,
                     Ownership ownership,
                     seL4_X86_VMAttributes attributes = seL4_X86_Default_VMAttributes);
    // Allocates `pages` new frames and maps them from `vaddr` on; all or nothing.
    Result<void> map_new_pages(VAddr vaddr, seL4_Word pages, seL4_CapRights_t rights);
    // Unmaps the pages of [vaddr, vaddr + pages pages) that are mapped; owned frames are freed.
    Result<void> unmap(VAddr vaddr, seL4_Word pages);
    // Frees every paging structure this VSpace created (call after unmapping everything).
    Result<void> free_tables();
    // Releases every reservation, then frees the paging structures: the space is empty again.
    Result<void> release_all();

    const Mapping* lookup(VAddr vaddr) const;
    // The reservation containing `vaddr`, or null.
    const Reservation* reservation_of(VAddr vaddr) const;
    CPtr root() const { return root_; }
    unsigned mapped_pages() const { return mapped_; }
    unsigned tables() const { return table_count_; }
    unsigned reservations() const { return reservation_count_; }

private:
    Result<void> map_with_tables(CPtr frame, VAddr vaddr, seL4_CapRights_t rights,
                                 seL4_X86_VMAttributes attributes);
    Result<void> create_table(seL4_Word bits_left, VAddr vaddr);
    Result<void> unmap_index(unsigned index);
    bool is_reserved(VAddr vaddr) const;

    alloc::ObjectAllocator& objects_;
    CPtr root_;
    VAddr bottom_;
    VAddr top_;
    Mapping* mappings_;
    unsigned capacity_;
    unsigned mapped_ = 0;
    Reservation reservations_[MaxReservations] = {};
    unsigned reservation_count_ = 0;
    Object tables_[MaxTables] = {};
    unsigned table_count_ = 0;
};

} // namespace tessera::vspace
