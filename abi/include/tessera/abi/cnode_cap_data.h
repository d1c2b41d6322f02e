/* Tessera ABI: the word that sets a CNode cap's guard when it is minted or mutated, or when a
 * thread's CSpace root is configured (seL4 Reference Manual, "CNode"; shared_types_64.bf). */
#pragma once

#include <tessera/abi/base.h>

/* 64-bit layout: guardSize in bits 0..5, guard in bits 6..63. */
enum {
    TESSERA_CNODE_GUARD_SIZE_SHIFT = 0,
    TESSERA_CNODE_GUARD_SIZE_BITS = 6,
    TESSERA_CNODE_GUARD_SHIFT = 6,
    TESSERA_CNODE_GUARD_BITS = 58,
};

TESSERA_ABI_ASSERT(TESSERA_CNODE_GUARD_SHIFT + TESSERA_CNODE_GUARD_BITS == 64, "tiles word");

typedef struct seL4_CNode_CapData {
    seL4_Word words[1];
} seL4_CNode_CapData_t;

TESSERA_ABI_ASSERT(sizeof(seL4_CNode_CapData_t) == 8, "CNode cap data is one word");

TESSERA_ABI_INLINE seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Uint64 guard,
                                                              seL4_Uint64 guardSize)
{
    seL4_CNode_CapData_t data;
    data.words[0] = (guard << TESSERA_CNODE_GUARD_SHIFT) |
                    (guardSize & ((1u << TESSERA_CNODE_GUARD_SIZE_BITS) - 1));
    return data;
}

TESSERA_ABI_INLINE seL4_Uint64 seL4_CNode_CapData_get_guard(seL4_CNode_CapData_t data)
{
    return data.words[0] >> TESSERA_CNODE_GUARD_SHIFT;
}

TESSERA_ABI_INLINE seL4_Uint64 seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_t data)
{
    return data.words[0] & ((1u << TESSERA_CNODE_GUARD_SIZE_BITS) - 1);
}
