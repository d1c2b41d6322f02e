/* A host stand-in for <microkit.h> and the parts of libsel4 that generated interface headers use,
 * so that the host tests compile them unchanged and watch every message register they touch
 * (fake_microkit.h). C and C++. */
#ifndef FAKE_MICROKIT_H
#define FAKE_MICROKIT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t seL4_Word;
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef int8_t seL4_Bool;
typedef struct {
    seL4_Word words[1];
} seL4_MessageInfo_t;
typedef seL4_MessageInfo_t microkit_msginfo;
typedef unsigned int microkit_channel;

/* The real buffer holds its 120 words; this one points at them, so that a message being read can
 * live in an allocation of exactly its length, where AddressSanitizer sees any read past it. */
typedef struct {
    seL4_Word *msg;
} seL4_IPCBuffer;

seL4_IPCBuffer *seL4_GetIPCBuffer(void);
seL4_Word microkit_mr_get(seL4_Uint8 mr);
void microkit_mr_set(seL4_Uint8 mr, seL4_Word value);
microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo);
void microkit_notify(microkit_channel ch);

/* Not Microkit's: a test provider calls this first, so that its reply is written into a fresh
 * buffer (fake_microkit.h). */
void fake_microkit_begin_reply(void);

/* seL4's message info: label in bits 12-63, length in bits 0-6. */
static inline microkit_msginfo microkit_msginfo_new(seL4_Word label, seL4_Uint16 count)
{
    microkit_msginfo info;
    info.words[0] = label << 12 | (seL4_Word)(count & 0x7f);
    return info;
}

static inline seL4_Word microkit_msginfo_get_label(microkit_msginfo info)
{
    return info.words[0] >> 12;
}

static inline seL4_Word microkit_msginfo_get_count(microkit_msginfo info)
{
    return info.words[0] & 0x7f;
}

#ifdef __cplusplus
}
#endif
#endif
