/* Debug output in decimal on top of microkit_dbg_putc, which the configuration provides
 * (dbg_console.c prints through the kernel's debug console, dbg_silent.c prints nothing). */
#include <microkit.h>

void microkit_dbg_puts(const char *s)
{
    while (*s)
        microkit_dbg_putc(*s++);
}

static void put_decimal(seL4_Uint32 x)
{
    char digits[11];
    unsigned int at = sizeof digits - 1;
    digits[at] = 0;
    do {
        digits[--at] = (char)('0' + x % 10);
        x /= 10;
    } while (x != 0);
    microkit_dbg_puts(&digits[at]);
}

void microkit_dbg_put8(seL4_Uint8 x)
{
    put_decimal(x);
}

void microkit_dbg_put32(seL4_Uint32 x)
{
    put_decimal(x);
}
