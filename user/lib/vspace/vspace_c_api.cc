// The process-wide VSpace behind <tessera/vspace.h>, built in static storage by
// tessera_vspace_init so that no static constructor has to run first.
#include <tessera/alloc.h>
#include <tessera/vspace.h>
#include <tessera/vspace/vspace.h>

#include <new>

namespace tessera::vspace {

namespace {

constexpr unsigned ProcessMappings = 1024;
Mapping mappings[ProcessMappings];
alignas(VSpace) unsigned char storage[sizeof(VSpace)];
VSpace* process = nullptr;

} // namespace

VSpace* process_vspace()
{
    return process;
}

} // namespace tessera::vspace

using namespace tessera;
using vspace::process;

extern "C" seL4_Error tessera_vspace_init(seL4_Word bottom, seL4_Word top)
{
    alloc::ObjectAllocator* objects = alloc::process_allocator();
    if (!objects)
        return seL4_IllegalOperation;
    if (bottom % libos::PageSize || top % libos::PageSize || bottom >= top || top > seL4_UserTop)
        return seL4_InvalidArgument;
    process = new (vspace::storage)
        vspace::VSpace(*objects, libos::CPtr{seL4_CapInitThreadVSpace}, libos::VAddr{bottom},
                       libos::VAddr{top}, vspace::mappings, vspace::ProcessMappings);
    return seL4_NoError;
}

extern "C" seL4_Error tessera_vspace_new_pages(seL4_Word pages, seL4_Word guard_pages,
                                               seL4_CapRights_t rights, seL4_Word* vaddr)
{
    if (!process || !vaddr)
        return seL4_IllegalOperation;
    auto reservation = process->reserve(pages + guard_pages);
    if (!reservation)
        return reservation.code();
    const libos::VAddr first = reservation.value().base + guard_pages * libos::PageSize;
    auto mapped = process->map_new_pages(first, pages, rights);
    if (!mapped) {
        (void)process->release(reservation.value());
        return mapped.code();
    }
    *vaddr = first.raw();
    return seL4_NoError;
}

extern "C" seL4_Error tessera_vspace_free_pages(seL4_Word vaddr)
{
    if (!process)
        return seL4_IllegalOperation;
    const vspace::Reservation* reservation = process->reservation_of(libos::VAddr{vaddr});
    if (!reservation)
        return seL4_InvalidArgument;
    return process->release(*reservation).code();
}
