/* What a freestanding program linked with only libmicrokit may still need: the memory functions
 * GCC emits calls to even with -ffreestanding, libsel4's assertion hook and the stack protector's
 * failure hook. All weak, so a program's own definitions (common in Microkit code) win without a
 * clash; the in-tree build links the C library's instead (user/lib/libc). */
#include <microkit.h>
#include <stddef.h>

__attribute__((weak)) void *memcpy(void *destination, const void *source, size_t count)
{
    unsigned char *to = destination;
    const unsigned char *from = source;
    while (count--)
        *to++ = *from++;
    return destination;
}

__attribute__((weak)) void *memmove(void *destination, const void *source, size_t count)
{
    unsigned char *to = destination;
    const unsigned char *from = source;
    if (to < from) {
        while (count--)
            *to++ = *from++;
    } else {
        while (count--)
            to[count] = from[count];
    }
    return destination;
}

__attribute__((weak)) void *memset(void *destination, int value, size_t count)
{
    unsigned char *to = destination;
    while (count--)
        *to++ = (unsigned char)value;
    return destination;
}

__attribute__((weak)) int memcmp(const void *left, const void *right, size_t count)
{
    const unsigned char *a = left, *b = right;
    for (; count; --count, ++a, ++b)
        if (*a != *b)
            return *a < *b ? -1 : 1;
    return 0;
}

__attribute__((weak)) void __assert_fail(const char *assertion, const char *file, int line,
                                         const char *function)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("|assert failed: ");
    microkit_dbg_puts(assertion);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(file);
    microkit_dbg_puts(":");
    microkit_dbg_put32((seL4_Uint32)line);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(function);
    microkit_dbg_puts("\n");
    microkit_internal_crash(seL4_NoError);
    for (;;) {
    }
}

__attribute__((weak, noreturn)) void __stack_chk_fail(void)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("|stack smashing detected\n");
    microkit_internal_crash(seL4_NoError);
    for (;;) {
    }
}
