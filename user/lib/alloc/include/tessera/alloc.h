/* The C interface to the library OS allocators: one process-wide object allocator over the
 * root task's BootInfo (empty slots and untypeds). Functions return seL4 error codes. */
#pragma once

#include <tessera/abi/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tessera_object {
    seL4_CPtr cptr;      /* the object's capability, in the root CNode */
    seL4_Word type;      /* seL4_ObjectType */
    seL4_Word size_bits; /* the retype argument (CNodes, untypeds) */
    seL4_Word paddr;     /* where the kernel placed it */
    seL4_Word untyped;   /* the allocator's record it came from */
    seL4_Word generation; /* the slot's generation: a freed handle is refused, not obeyed */
} tessera_object_t;

/* Takes bi->empty and every untyped of bi->untyped; may be called again to start over. */
seL4_Error tessera_alloc_init(const seL4_BootInfo* bi);
seL4_Error tessera_alloc_object(seL4_Word type, seL4_Word size_bits, tessera_object_t* object);
/* An object at a given physical address (device frames, DMA): device untypeds are used too. */
seL4_Error tessera_alloc_object_at(seL4_Word type, seL4_Word size_bits, seL4_Word paddr,
                                   tessera_object_t* object);
/* Deletes the capability and gives the slot and memory back. seL4_InvalidArgument for a handle
 * whose object was already freed (even if its slot now holds another object). */
seL4_Error tessera_alloc_free(const tessera_object_t* object);
seL4_Error tessera_alloc_slot(seL4_CPtr* slot);
/* The caller has deleted whatever capability the slot held. */
seL4_Error tessera_alloc_free_slot(seL4_CPtr slot);

#ifdef __cplusplus
}

namespace tessera::alloc {
class ObjectAllocator;
/* The allocator behind the C functions (null before tessera_alloc_init). */
ObjectAllocator* process_allocator();
} // namespace tessera::alloc
#endif
