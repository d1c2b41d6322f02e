/* The C interface to address-space management: one process-wide VSpace over the caller's own
 * address space (seL4_CapInitThreadVSpace), on the allocator of <tessera/alloc.h>. */
#pragma once

#include <tessera/abi/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Manages [bottom, top) of the caller's address space; tessera_alloc_init must come first. */
seL4_Error tessera_vspace_init(seL4_Word bottom, seL4_Word top);
/* Reserves `pages` pages plus `guard_pages` unmapped pages below them, maps new frames, and
 * returns the address of the first mapped page. */
seL4_Error tessera_vspace_new_pages(seL4_Word pages, seL4_Word guard_pages, seL4_CapRights_t rights,
                                    seL4_Word* vaddr);
/* Unmaps and frees the pages of the reservation that contains `vaddr`, guard pages included. */
seL4_Error tessera_vspace_free_pages(seL4_Word vaddr);

#ifdef __cplusplus
}

namespace tessera::vspace {
class VSpace;
/* The VSpace behind the C functions (null before tessera_vspace_init). */
VSpace* process_vspace();
} // namespace tessera::vspace
#endif
