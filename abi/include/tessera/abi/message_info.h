/* Tessera ABI: the message info word (label, capsUnwrapped, extraCaps, length) that travels in
 * rsi with every IPC (seL4 Reference Manual, "Message Layout"; libsel4 shared_types_64.bf). */
#pragma once

#include <tessera/abi/base.h>

/* Bit layout, low to high: length 7 bits, extraCaps 2, capsUnwrapped 3, label 52. */
enum {
    seL4_MsgLengthBits = 7,
    seL4_MsgExtraCapBits = 2,
    seL4_MsgMaxLength = 120,
    seL4_MsgMaxExtraCaps = (1 << seL4_MsgExtraCapBits) - 1,
};

enum {
    TESSERA_MSGINFO_LENGTH_SHIFT = 0,
    TESSERA_MSGINFO_LENGTH_BITS = 7,
    TESSERA_MSGINFO_EXTRA_CAPS_SHIFT = 7,
    TESSERA_MSGINFO_EXTRA_CAPS_BITS = 2,
    TESSERA_MSGINFO_CAPS_UNWRAPPED_SHIFT = 9,
    TESSERA_MSGINFO_CAPS_UNWRAPPED_BITS = 3,
    TESSERA_MSGINFO_LABEL_SHIFT = 12,
    TESSERA_MSGINFO_LABEL_BITS = 52,
};

TESSERA_ABI_ASSERT((int)TESSERA_MSGINFO_LENGTH_BITS == (int)seL4_MsgLengthBits, "length width");
TESSERA_ABI_ASSERT((int)TESSERA_MSGINFO_EXTRA_CAPS_BITS == (int)seL4_MsgExtraCapBits, "extraCaps width");
TESSERA_ABI_ASSERT(TESSERA_MSGINFO_LABEL_SHIFT + TESSERA_MSGINFO_LABEL_BITS == 64,
                   "the four fields tile the 64-bit word");
TESSERA_ABI_ASSERT(seL4_MsgMaxLength < (1 << seL4_MsgLengthBits), "length field holds 120");

/* One word, wrapped in a struct as libsel4's bitfield generator does, so it cannot be mixed
 * with a plain seL4_Word by accident. */
typedef struct seL4_MessageInfo {
    seL4_Word words[1];
} seL4_MessageInfo_t;

TESSERA_ABI_ASSERT(sizeof(seL4_MessageInfo_t) == 8, "message info is one word");

#define TESSERA_MSGINFO_MASK(bits) ((bits) == 64 ? ~(seL4_Word)0 : (((seL4_Word)1 << (bits)) - 1))

TESSERA_ABI_INLINE seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label,
                                                          seL4_Uint64 capsUnwrapped,
                                                          seL4_Uint64 extraCaps,
                                                          seL4_Uint64 length)
{
    seL4_MessageInfo_t info;
    info.words[0] = ((label & TESSERA_MSGINFO_MASK(TESSERA_MSGINFO_LABEL_BITS))
                     << TESSERA_MSGINFO_LABEL_SHIFT) |
                    ((capsUnwrapped & TESSERA_MSGINFO_MASK(TESSERA_MSGINFO_CAPS_UNWRAPPED_BITS))
                     << TESSERA_MSGINFO_CAPS_UNWRAPPED_SHIFT) |
                    ((extraCaps & TESSERA_MSGINFO_MASK(TESSERA_MSGINFO_EXTRA_CAPS_BITS))
                     << TESSERA_MSGINFO_EXTRA_CAPS_SHIFT) |
                    ((length & TESSERA_MSGINFO_MASK(TESSERA_MSGINFO_LENGTH_BITS))
                     << TESSERA_MSGINFO_LENGTH_SHIFT);
    return info;
}

#define TESSERA_MSGINFO_ACCESSORS(field, SHIFT, BITS)                                           \
    TESSERA_ABI_INLINE seL4_Uint64 seL4_MessageInfo_get_##field(seL4_MessageInfo_t info)       \
    {                                                                                          \
        return (info.words[0] >> (SHIFT)) & TESSERA_MSGINFO_MASK(BITS);                        \
    }                                                                                          \
    TESSERA_ABI_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_##field(seL4_MessageInfo_t info, \
                                                                       seL4_Uint64 value)      \
    {                                                                                          \
        info.words[0] &= ~(TESSERA_MSGINFO_MASK(BITS) << (SHIFT));                             \
        info.words[0] |= (value & TESSERA_MSGINFO_MASK(BITS)) << (SHIFT);                      \
        return info;                                                                           \
    }                                                                                          \
    TESSERA_ABI_INLINE seL4_Uint64 seL4_MessageInfo_ptr_get_##field(                           \
        const seL4_MessageInfo_t* info)                                                        \
    {                                                                                          \
        return (info->words[0] >> (SHIFT)) & TESSERA_MSGINFO_MASK(BITS);                       \
    }                                                                                          \
    TESSERA_ABI_INLINE void seL4_MessageInfo_ptr_set_##field(seL4_MessageInfo_t* info,         \
                                                             seL4_Uint64 value)                \
    {                                                                                          \
        *info = seL4_MessageInfo_set_##field(*info, value);                                    \
    }

TESSERA_MSGINFO_ACCESSORS(label, TESSERA_MSGINFO_LABEL_SHIFT, TESSERA_MSGINFO_LABEL_BITS)
TESSERA_MSGINFO_ACCESSORS(capsUnwrapped, TESSERA_MSGINFO_CAPS_UNWRAPPED_SHIFT,
                          TESSERA_MSGINFO_CAPS_UNWRAPPED_BITS)
TESSERA_MSGINFO_ACCESSORS(extraCaps, TESSERA_MSGINFO_EXTRA_CAPS_SHIFT,
                          TESSERA_MSGINFO_EXTRA_CAPS_BITS)
TESSERA_MSGINFO_ACCESSORS(length, TESSERA_MSGINFO_LENGTH_SHIFT, TESSERA_MSGINFO_LENGTH_BITS)

#undef TESSERA_MSGINFO_ACCESSORS
