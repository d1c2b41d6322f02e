// The block every generated C header carries once per program (guarded): status codes, the
// label layout and the small helpers the stubs and dispatchers share. Plain C11 that is also
// C++20, using only the Microkit API and libsel4, so it builds on Tessera and on seL4.
#include "gen_c.h"

namespace tessera::sdf {

const char* c_common_block()
{
    return R"(#ifndef TESSERA_INTERFACE_COMMON_1
#define TESSERA_INTERFACE_COMMON_1
/* Shared by every header `tessera gen` writes (docs/interfaces.md): status codes, the layout
 * of a call's label, and the helpers stubs and dispatchers use. */

/* Status codes. A stub returns 0, one of these when the call itself failed, or one of its
 * interface's own errors (16 to 255). */
#define TESSERA_IFACE_OK 0
#define TESSERA_IFACE_BAD_CHANNEL 1     /* the provider serves no such interface on the channel */
#define TESSERA_IFACE_WRONG_INTERFACE 2 /* the label is another interface's, or another version's */
#define TESSERA_IFACE_BAD_METHOD 3      /* no such method, or one this caller may not call */
#define TESSERA_IFACE_BAD_MESSAGE 4     /* wrong word count, a length past its bound or the words
                                         * sent, or a value out of its type's range */
#define TESSERA_IFACE_BAD_ARGUMENT 5    /* (client) an argument out of range: nothing was sent */
#define TESSERA_IFACE_BAD_REPLY 6       /* (client) the reply does not answer this call */
#define TESSERA_IFACE_BAD_RESULT 7      /* the provider's implementation returned an undeclared
                                         * error or a result out of range */

/* A label: the method in bits 0-7, the reply's status in bits 8-15, the interface's
 * fingerprint in bits 16-47. A reply repeats its request's label with the status added. */
#define TESSERA_IFACE_METHOD_MASK ((seL4_Word)0xff)
#define TESSERA_IFACE_STATUS_SHIFT 8
#define TESSERA_IFACE_STATUS_MASK ((seL4_Word)0xff << TESSERA_IFACE_STATUS_SHIFT)
#define TESSERA_IFACE_FINGERPRINT_SHIFT 16

/* Compile-time checks in C and C++ alike. */
#ifdef __cplusplus
#define TESSERA_IFACE_STATIC_ASSERT(condition, why) static_assert(condition, why)
#else
#define TESSERA_IFACE_STATIC_ASSERT(condition, why) _Static_assert(condition, why)
#endif

/* Enums travel as 32 bits. C++ gets the enum that width as its underlying type, so that a value
 * received from another program is never outside the enum's range, which C++ leaves undefined. */
#ifdef __cplusplus
#define TESSERA_IFACE_ENUM_BASE : uint32_t
#else
#define TESSERA_IFACE_ENUM_BASE
#endif

/* Keeps a generation marker through the linker's --gc-sections where the compiler can. */
#if defined(__has_attribute)
#if __has_attribute(retain)
#define TESSERA_IFACE_RETAIN __attribute__((retain))
#endif
#endif
#ifndef TESSERA_IFACE_RETAIN
#define TESSERA_IFACE_RETAIN
#endif

/* The name of a transport status, or NULL for an interface's own error code. */
static inline const char *tessera_iface_transport_status_name(int status)
{
    switch (status) {
    case TESSERA_IFACE_OK: return "ok";
    case TESSERA_IFACE_BAD_CHANNEL: return "bad_channel";
    case TESSERA_IFACE_WRONG_INTERFACE: return "wrong_interface";
    case TESSERA_IFACE_BAD_METHOD: return "bad_method";
    case TESSERA_IFACE_BAD_MESSAGE: return "bad_message";
    case TESSERA_IFACE_BAD_ARGUMENT: return "bad_argument";
    case TESSERA_IFACE_BAD_REPLY: return "bad_reply";
    case TESSERA_IFACE_BAD_RESULT: return "bad_result";
    default: return 0;
    }
}

/* The reply to `request` that carries only `status`. */
static inline microkit_msginfo tessera_iface_status_reply(microkit_msginfo request, int status)
{
    const seL4_Word label = microkit_msginfo_get_label(request) & ~TESSERA_IFACE_STATUS_MASK;
    return microkit_msginfo_new(label | ((seL4_Word)status << TESSERA_IFACE_STATUS_SHIFT), 0);
}

/* The status of `reply` to a call labelled `label`: 0, the provider's status, or BAD_REPLY when
 * it is no reply to that call (a provider without this interface answers with label 0). */
static inline int tessera_iface_reply_status(microkit_msginfo reply, seL4_Word label)
{
    const seL4_Word got = microkit_msginfo_get_label(reply);
    if ((got & ~TESSERA_IFACE_STATUS_MASK) != label)
        return TESSERA_IFACE_BAD_REPLY;
    return (int)((got & TESSERA_IFACE_STATUS_MASK) >> TESSERA_IFACE_STATUS_SHIFT);
}

/* Whether a message word holds a value of a signed or unsigned type of `bits` bits (below 64). */
static inline seL4_Bool tessera_iface_fits_signed(seL4_Word word, unsigned bits)
{
    const seL4_Word half = (seL4_Word)1 << (bits - 1);
    return word + half < half << 1; /* -half <= value < half, in unsigned arithmetic */
}

static inline seL4_Bool tessera_iface_fits_unsigned(seL4_Word word, unsigned bits)
{
    return (word >> bits) == 0;
}

static inline seL4_Word tessera_iface_words(seL4_Word bytes)
{
    return (bytes + 7) / 8;
}

/* The message registers beyond the first four live here, in the IPC buffer. */
static inline seL4_Word *tessera_iface_message(void)
{
    return seL4_GetIPCBuffer()->msg;
}

/* Copies `bytes` bytes. Written out, word by word where both sides are aligned, so that no call
 * to memcpy is made: a Microkit program need not have one. The empty asm statements keep the
 * compiler from turning the loops back into memcpy calls, and from judging the word loop against
 * the size of an object it believes `from` to be (a short string). */
static inline void tessera_iface_copy(void *to, const void *from, seL4_Word bytes)
{
    unsigned char *out = (unsigned char *)to;
    const unsigned char *in = (const unsigned char *)from;
    __asm__("" : "+r"(out), "+r"(in));
    seL4_Word i = 0;
    if ((((seL4_Word)out | (seL4_Word)in) & 7) == 0) {
        for (; i + 8 <= bytes; i += 8) {
            seL4_Word word;
            __builtin_memcpy(&word, in + i, 8);
            __builtin_memcpy(out + i, &word, 8);
            __asm__("" : "+r"(i));
        }
    }
    for (; i < bytes; ++i) {
        out[i] = in[i];
        __asm__("" : "+r"(i));
    }
}

/* Zeroes `bytes` bytes, without a call to memset (see tessera_iface_copy). */
static inline void tessera_iface_zero(void *to, seL4_Word bytes)
{
    unsigned char *out = (unsigned char *)to;
    for (seL4_Word i = 0; i < bytes; ++i) {
        out[i] = 0;
        __asm__("" : "+r"(i));
    }
}

/* Zeroes what follows `bytes` bytes of payload in its last word, so that no stale bytes of
 * this program's earlier messages travel with it. */
static inline void tessera_iface_pad(seL4_Word *words, seL4_Word bytes)
{
    if (bytes % 8 != 0)
        words[bytes / 8] &= ((seL4_Word)1 << (8 * (bytes % 8))) - 1;
}

/* The length of string s, or bound + 1 if it has more than `bound` bytes (read no further). */
static inline seL4_Word tessera_iface_string_length(const char *s, seL4_Word bound)
{
    seL4_Word length = 0;
    while (length <= bound && s[length] != 0)
        ++length;
    return length;
}

/* Whether the `length` bytes at s hold no NUL (a received string is whole). */
static inline seL4_Bool tessera_iface_no_nul(const char *s, seL4_Word length)
{
    for (seL4_Word i = 0; i < length; ++i)
        if (s[i] == 0)
            return 0;
    return 1;
}

/* Whether each of `count` bytes at elements is 0 or 1 (received bools). */
static inline seL4_Bool tessera_iface_bools_valid(const void *elements, seL4_Word count)
{
    const unsigned char *bytes = (const unsigned char *)elements;
    for (seL4_Word i = 0; i < count; ++i)
        if (bytes[i] > 1)
            return 0;
    return 1;
}

/* Element `index` of an array of 32-bit values, read as bytes (received enums). */
static inline seL4_Word tessera_iface_element32(const void *elements, seL4_Word index)
{
    const unsigned char *bytes = (const unsigned char *)elements + 4 * index;
    return (seL4_Word)bytes[0] | (seL4_Word)bytes[1] << 8 | (seL4_Word)bytes[2] << 16 |
           (seL4_Word)bytes[3] << 24;
}
#endif /* TESSERA_INTERFACE_COMMON_1 */
)";
}

} // namespace tessera::sdf
