/* Tessera ABI: the capability rights word passed to CNode_Copy/Mint and page mapping calls
 * (seL4 Reference Manual, "Capability Rights"; libsel4 shared_types_64.bf). */
#pragma once

#include <tessera/abi/base.h>

/* Bits, low to high: write 0, read 1, grant 2, grant-reply 3; the upper 60 bits are zero. */
enum {
    TESSERA_RIGHTS_WRITE_BIT = 0,
    TESSERA_RIGHTS_READ_BIT = 1,
    TESSERA_RIGHTS_GRANT_BIT = 2,
    TESSERA_RIGHTS_GRANT_REPLY_BIT = 3,
};

typedef struct seL4_CapRights {
    seL4_Word words[1];
} seL4_CapRights_t;

TESSERA_ABI_ASSERT(sizeof(seL4_CapRights_t) == 8, "rights are one word");

TESSERA_ABI_INLINE seL4_CapRights_t seL4_CapRights_new(seL4_Uint64 capAllowGrantReply,
                                                      seL4_Uint64 capAllowGrant,
                                                      seL4_Uint64 capAllowRead,
                                                      seL4_Uint64 capAllowWrite)
{
    seL4_CapRights_t rights;
    rights.words[0] = ((capAllowGrantReply & 1) << TESSERA_RIGHTS_GRANT_REPLY_BIT) |
                      ((capAllowGrant & 1) << TESSERA_RIGHTS_GRANT_BIT) |
                      ((capAllowRead & 1) << TESSERA_RIGHTS_READ_BIT) |
                      ((capAllowWrite & 1) << TESSERA_RIGHTS_WRITE_BIT);
    return rights;
}

#define TESSERA_RIGHTS_ACCESSORS(field, BIT)                                                     \
    TESSERA_ABI_INLINE seL4_Uint64 seL4_CapRights_get_##field(seL4_CapRights_t rights)          \
    {                                                                                           \
        return (rights.words[0] >> (BIT)) & 1;                                                  \
    }                                                                                           \
    TESSERA_ABI_INLINE seL4_CapRights_t seL4_CapRights_set_##field(seL4_CapRights_t rights,     \
                                                                   seL4_Uint64 value)           \
    {                                                                                           \
        rights.words[0] = (rights.words[0] & ~((seL4_Word)1 << (BIT))) |                        \
                          ((value & 1) << (BIT));                                               \
        return rights;                                                                          \
    }

TESSERA_RIGHTS_ACCESSORS(capAllowGrantReply, TESSERA_RIGHTS_GRANT_REPLY_BIT)
TESSERA_RIGHTS_ACCESSORS(capAllowGrant, TESSERA_RIGHTS_GRANT_BIT)
TESSERA_RIGHTS_ACCESSORS(capAllowRead, TESSERA_RIGHTS_READ_BIT)
TESSERA_RIGHTS_ACCESSORS(capAllowWrite, TESSERA_RIGHTS_WRITE_BIT)

#undef TESSERA_RIGHTS_ACCESSORS

/* libsel4's named rights sets (grant-reply, grant, read, write). */
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)
#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)
