// Reserved virtual ranges: a small unsorted table, first fit from the bottom of the window.
#include <tessera/vspace/vspace.h>

namespace tessera::vspace {

using libos::make_error;
using libos::PageSize;

VSpace::VSpace(alloc::ObjectAllocator& objects, CPtr root, VAddr bottom, VAddr top,
               Mapping* storage, unsigned capacity)
    : objects_(objects), root_(root), bottom_(bottom), top_(top), mappings_(storage),
      capacity_(capacity)
{
}

const Reservation* VSpace::reservation_of(VAddr vaddr) const
{
    for (unsigned i = 0; i < reservation_count_; ++i) {
        if (vaddr >= reservations_[i].base && vaddr < reservations_[i].top())
            return &reservations_[i];
    }
    return nullptr;
}

bool VSpace::is_reserved(VAddr vaddr) const
{
    return reservation_of(vaddr) != nullptr;
}

Result<Reservation> VSpace::reserve_at(VAddr base, seL4_Word pages)
{
    if (!base.is_aligned(seL4_PageBits))
        return make_error(seL4_AlignmentError, "vspace: base");
    if (pages == 0 || base < bottom_ || base > top_ || (top_ - base) / PageSize < pages)
        return make_error(seL4_RangeError, "vspace: range outside window");
    const Reservation wanted{base, pages};
    for (unsigned i = 0; i < reservation_count_; ++i) {
        const Reservation& r = reservations_[i];
        if (wanted.base < r.top() && r.base < wanted.top())
            return make_error(seL4_DeleteFirst, "vspace: range overlaps a reservation");
    }
    if (reservation_count_ == MaxReservations)
        return make_error(seL4_NotEnoughMemory, "vspace: reservation table full");
    reservations_[reservation_count_++] = wanted;
    return wanted;
}

Result<Reservation> VSpace::reserve(seL4_Word pages)
{
    if (pages == 0)
        return make_error(seL4_RangeError, "vspace: empty reservation");
    // Candidates are the window's bottom and the top of each reservation; the lowest that fits
    // wins.
    VAddr best = top_;
    for (unsigned i = 0; i <= reservation_count_; ++i) {
        const VAddr candidate = i == reservation_count_ ? bottom_ : reservations_[i].top();
        if (candidate >= best || (top_ - candidate) / PageSize < pages)
            continue;
        const Reservation wanted{candidate, pages};
        bool overlaps = false;
        for (unsigned j = 0; j < reservation_count_ && !overlaps; ++j) {
            overlaps = wanted.base < reservations_[j].top() && reservations_[j].base < wanted.top();
        }
        if (!overlaps)
            best = candidate;
    }
    if (best == top_)
        return make_error(seL4_NotEnoughMemory, "vspace: no free range");
    return reserve_at(best, pages);
}

Result<void> VSpace::release(const Reservation& reservation)
{
    for (unsigned i = 0; i < reservation_count_; ++i) {
        if (reservations_[i].base != reservation.base)
            continue;
        auto unmapped = unmap(reservations_[i].base, reservations_[i].pages);
        if (!unmapped)
            return unmapped;
        reservations_[i] = reservations_[--reservation_count_];
        return {};
    }
    return make_error(seL4_InvalidArgument, "vspace: not a reservation");
}

Result<void> VSpace::release_all()
{
    while (reservation_count_ > 0) {
        auto released = release(reservations_[reservation_count_ - 1]);
        if (!released)
            return released;
    }
    return free_tables();
}

} // namespace tessera::vspace
